"""Browser tests: Debian's Chromium driven by Playwright against built sites, served on 127.0.0.1
(search needs HTTP): the synthetic corpus's site for what the pages do (expectations from its
model), the injection fixture's for safety, and this repository's published site (`make test`
builds it first; a missing build is built here) for the link check and the screenshots.
Every request a page makes is recorded: none may go to another origin (scheme, host and port)
than the site's own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykb.load import Model, load_model
from policykb.preview import SiteServer as Server
from policykb.repo import Repo

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "build" / "screenshots"


def build_site(root: Path, out: Path) -> None:
    subprocess.run(
        [str(Path(sys.executable).parent / "policykb"), "site", "--root", str(root), "--out", str(out)],
        check=True,
        cwd=REPO,
    )


@pytest.fixture(scope="session")
def published_site() -> Iterator[str]:
    """The site of this repository (`make test` builds it before the browser tests)."""
    folder = REPO / "build" / "site"
    if not (folder / "index.html").is_file():
        build_site(REPO, folder)
    server = Server(folder)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def synthetic_root(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the synthetic corpus (tests/conftest.py), its site built into `site/`."""
    root = tmp_path_factory.mktemp("synthetic-site") / "root"
    shutil.copytree(base, root)
    build_site(root, root / "site")
    return root


@pytest.fixture(scope="session")
def site(synthetic_root: Path) -> Iterator[str]:
    """The synthetic corpus's site: the behaviour tests' expectations come from its model."""
    server = Server(synthetic_root / "site")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def model(synthetic_root: Path) -> Model:
    return load_model(Repo(synthetic_root))


@pytest.fixture(scope="session")
def parts_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A synthetic corpus large enough for its matrices to be in parts (more than
    `site.pages.MATRIX_ROWS` rows), its site built and served."""
    from policykb.synth import generate

    root = tmp_path_factory.mktemp("parts") / "root"
    words = (REPO / "policy" / "coalitieakkoord-2026" / "text.txt").read_text(encoding="utf-8")
    generate(root, measures=160, words=words, records=40, seed=5)
    build_site(root, root / "site")
    server = Server(root / "site")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def injection_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("injection") / "root"
    shutil.copytree(REPO / "tests" / "fixtures" / "site-injection", root, ignore=shutil.ignore_patterns("build"))
    build_site(root, root / "site")
    server = Server(root / "site")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")  # type: ignore[attr-defined]
    tab = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    origins: set[str] = set()
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("framenavigated", lambda frame: origins.add(origin(frame.url)) if frame == tab.main_frame else None)
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.requests, tab.dialogs = requests, dialogs
    yield tab
    outside = [
        url for url in requests if not url.startswith(("data:", "blob:", "about:")) and origin(url) not in origins
    ]
    context.close()
    assert not outside, f"requests to another origin than the site's own: {outside}"
    assert not dialogs, f"a script ran: {dialogs}"


def origin(url: str) -> str:
    """Scheme, host and port: a request to another port of 127.0.0.1 is another origin."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


def type_search(page: object, site: str, query: str) -> None:
    """Open the theme's search on the home page and type `query` key by key, as a person types
    (the search listens to keys), once its worker has built the index: a query typed before is
    lost."""
    page.goto(site)  # type: ignore[attr-defined]
    page.locator("label.md-search__icon, .md-search__input").first.click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !/initiali/i.test(document.querySelector('.md-search-result__meta')?.textContent ?? 'initialising')",
        timeout=60000,
    )
    page.locator("input.md-search__input").press_sequentially(query, delay=30)  # type: ignore[attr-defined]
