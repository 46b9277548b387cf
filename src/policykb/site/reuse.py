"""The previous build's pages given again where nothing they are made from has changed (issue 16,
lever 5: a second `policykb site` after one measure is edited renders only the pages that changed).

A generated page's HTML is the theme's rendering of what this key holds (`Reuse.decide`): the
page's own Markdown (its front matter) and HTML body, its address, whether it is in the nav, the
pages before and after it, and the site's `setting` (`setting_of`): MkDocs', Material's, Jinja's
and Markdown's versions, policykb's, the site template (mkdocs.yml, the theme overrides, the site
modules), the site URL and the navigation. Nothing else of the build reaches a page's HTML: the
other pages' titles only through the nav, the search index and the sitemap are written anew each
time.

Each build that finishes keeps the key of every generated page it wrote in
`<site>/.policykb-cache/pages.json`. The next build, before MkDocs empties the site folder (its
cleaning leaves hidden entries alone), moves those pages into `.policykb-cache/pages/` and takes
the manifest away; a page whose key is unchanged is moved back instead of being rendered, and what
is left is removed when the build ends. A build that fails leaves no manifest, so the next renders
every page. Hand-written pages are always rendered (there are few). Reads and writes only inside
the site folder; a test builds a site both ways and compares every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from policykb.resources import SITE
from policykb.writing import write_bytes_atomic

CACHE = ".policykb-cache"
"""The folder in the site that holds the previous build's pages and their keys (hidden)."""
MANIFEST = "pages.json"
FORMAT = 1
"""The manifest's format: a manifest of another format is not read."""
DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "policykb")
"""The packages whose code renders a page."""


def setting_of(config: Any, nav: Any) -> str:
    """The digest of what every page's HTML depends on besides the page itself."""
    digest = hashlib.sha256()
    for name in DISTRIBUTIONS:
        _add(digest, name, version(name))
    template = [Path(config.config_file_path), *sorted(SITE.glob("*.py")), *_files(Path(config.theme.custom_dir))]
    for path in template:
        _add(digest, path.name, path.read_bytes())
    _add(digest, "site_url", config.site_url or "")
    _add(digest, "nav", json.dumps(_nav(nav.items), ensure_ascii=False))
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _nav(items: Iterable[Any]) -> list[Any]:
    return [
        [type(item).__name__, item.title, getattr(item, "url", None), _nav(getattr(item, "children", None) or [])]
        for item in items
    ]


def _add(digest: Any, name: str, value: str | bytes) -> None:
    """A named value into `digest`, each length-prefixed, so that no two sequences run together."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    for part in (name.encode("utf-8"), data):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


class Reuse:
    """The previous build's pages of one site folder, and this build's keys."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.folder = site_dir / CACHE
        self.kept = self.folder / "pages"
        self.previous: dict[str, str] = {}
        """Each page moved aside, by its file in the site (`maatregel/x/index.html`): its key."""
        self.keys: dict[str, str] = {}
        """This build's generated pages: their keys."""
        self.reused: set[str] = set()
        """The pages given again (by their file in the site)."""
        self.setting = ""

    def start(self) -> None:
        """Before MkDocs empties the site folder: take the manifest away and move its pages aside."""
        manifest = self.folder / MANIFEST
        try:
            stored = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
        shutil.rmtree(self.kept, ignore_errors=True)  # an earlier build's, which did not finish
        manifest.unlink(missing_ok=True)
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            return
        for name, key in stored["pages"].items():
            source, kept = self.site_dir / name, self.kept / name
            if not source.is_file():
                continue
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, kept)
            self.previous[name] = key

    def decide(self, page: Any, front: str, body: str) -> bool:
        """Whether the generated `page` (its front matter and body as given to MkDocs) is the
        previous build's: if so, it is given again (`give_back`) instead of being rendered."""
        digest = hashlib.sha256()
        _add(digest, "setting", self.setting)
        _add(digest, "url", page.url)
        _add(digest, "in nav", str(page.file.inclusion.is_in_nav()))
        for side in (page.previous_page, page.next_page):
            _add(digest, "beside", "" if side is None else f"{side.url}\n{side.title}")
        _add(digest, "front", front)
        _add(digest, "body", body)
        name = page.file.dest_uri
        key = self.keys[name] = digest.hexdigest()
        if self.previous.get(name) == key:
            self.reused.add(name)
            return True
        return False

    def is_reused(self, page: Any) -> bool:
        return page.file.dest_uri in self.reused

    def give_back(self, page: Any) -> None:
        """Put the previous build's `page` where MkDocs would have written it."""
        target = Path(page.file.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.kept / page.file.dest_uri, target)

    def finish(self) -> None:
        """The build has finished: keep this build's keys, remove the pages not given again."""
        shutil.rmtree(self.kept, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"format": FORMAT, "pages": dict(sorted(self.keys.items()))}, indent=0)
        write_bytes_atomic(self.folder / MANIFEST, text.encode("utf-8"))

    def abandon(self) -> None:
        """The build has failed: nothing of it is kept for the next."""
        shutil.rmtree(self.folder, ignore_errors=True)


def render_unless_reused(env: Any, reuse: Reuse, name: str = "main.html") -> None:
    """Make the theme's page template `name` render nothing for a page given again (MkDocs then
    writes nothing, and the page is moved back in `on_post_page`)."""
    template = env.get_template(name)
    render = template.root_render_func

    def unless_reused(context: Any) -> Any:
        page = context.get("page")
        if page is not None and reuse.is_reused(page):
            return iter(())
        return render(context)

    template.root_render_func = unless_reused
