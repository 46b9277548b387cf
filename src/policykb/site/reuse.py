"""The previous build's pages given again where nothing they are made from has changed (issue 16,
lever 5: a second `policykb site` after one measure is edited renders only the pages that changed).

A generated page's HTML is the theme's rendering of what this key holds (`Reuse.decide`, as the
theme is about to render the page): the page's own Markdown (its front matter), title, front
matter, table of contents and HTML body, its address, whether it is in the nav, the pages before
and after it, and the site's `setting` (`setting_of`, once every page is read): MkDocs',
Material's, Jinja's and Markdown's versions, policykb's, the site template (mkdocs.yml, the theme
overrides, the site modules), the site URL and the navigation with each item's title and front
matter (the theme shows a nav page's icon, subtitle and status). Nothing else of the build reaches
a page's HTML: the other pages only through the nav; the search index and the sitemap are written
anew each time.

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
    """The digest of what every page's HTML depends on besides the page itself; made as the first
    page is rendered (`Reuse.decide`), once every page is read, so that the nav's titles and front
    matter are the pages' own."""
    digest = hashlib.sha256()
    for name in DISTRIBUTIONS:
        _add(digest, name, version(name))
    overrides = Path(config.theme.custom_dir)
    template = {
        "mkdocs.yml": Path(config.config_file_path),
        **{f"site/{path.name}": path for path in sorted(SITE.glob("*.py"))},
        **{f"overrides/{path.relative_to(overrides)}": path for path in _files(overrides)},
    }
    for name, path in template.items():
        _add(digest, name, path.read_bytes())
    _add(digest, "site_url", config.site_url or "")
    _add(digest, "nav", _json(_nav(nav.items)))
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _nav(items: Iterable[Any]) -> list[Any]:
    """What the theme's navigation shows of each item: its kind, title, address, front matter
    (icon, subtitle, status) and children."""
    return [
        [
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            getattr(item, "meta", None),
            _nav(getattr(item, "children", None) or []),
        ]
        for item in items
    ]


def _toc(items: Iterable[Any]) -> list[Any]:
    return [[item.title, item.url, item.level, _toc(item.children)] for item in items]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _inside(name: str) -> bool:
    """Whether a name from the manifest is a file below the site folder (not `../x`, not absolute)."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts and parts[0] != CACHE


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
        self.setting: str | None = None
        """`setting_of` this build, made by the first `decide`."""

    def start(self) -> None:
        """Before MkDocs empties the site folder: take the manifest away and move its pages aside."""
        manifest = self.folder / MANIFEST
        try:
            stored = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
        shutil.rmtree(self.kept, ignore_errors=True)  # an earlier build's, which did not finish
        manifest.unlink(missing_ok=True)
        if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("pages"), dict):
            return
        for name, key in stored["pages"].items():
            source, kept = self.site_dir / name, self.kept / name
            if not (isinstance(key, str) and _inside(name) and source.is_file()):
                continue
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, kept)
            self.previous[name] = key

    def decide(self, page: Any, config: Any, nav: Any) -> bool:
        """Whether the generated `page`, as the theme is about to render it (`on_page_context`),
        is the previous build's: if so, it is given again (`give_back`) instead of being rendered."""
        if self.setting is None:
            self.setting = setting_of(config, nav)
        digest = hashlib.sha256()
        _add(digest, "setting", self.setting)
        _add(digest, "url", page.url)
        _add(digest, "in nav", str(page.file.inclusion.is_in_nav()))
        for side in (page.previous_page, page.next_page):
            _add(digest, "beside", "" if side is None else _json([side.url, side.title]))
        _add(digest, "source", page.file.content_string)
        _add(digest, "title", _json(page.title))
        _add(digest, "meta", _json(page.meta))
        _add(digest, "toc", _json(_toc(page.toc)))
        _add(digest, "content", page.content or "")
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
