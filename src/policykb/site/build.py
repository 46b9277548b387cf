"""Run `mkdocs build --strict` on the site template in this process (`policykb site`).

Reads the site template (`site/mkdocs.yml`, the hooks) and hands the hooks the model, the IRIs
and the N-Triples this run already made (`Handoff`), so that the site is not loaded and compiled
a second time in a process of its own (issue 16). Writes the site into `target`.
MkDocs' warnings are printed and counted: any warning fails the build, as `--strict` means (the
command line's `--quiet` would silence them before strict mode could count them).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policykb.resources import SITE

if TYPE_CHECKING:
    from policykb.compile.rdf import Builder
    from policykb.load import Model

THEME_SWITCHES = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
"""The theme's documented switches for its banner about MkDocs 2."""


@dataclass(frozen=True)
class Handoff:
    """What the hooks need of a compile: the model, the builder (IRIs, names; its graph is not
    read) and the graph's sorted N-Triples (the cookbook's store, each entity's RDF)."""

    model: Model
    builder: Builder
    triples: bytes


HANDOFF: dict[Path, Handoff] = {}
"""The hand-off of the repository being built, by its root, while `build_site` runs (MkDocs
loads `hooks.py` from its file as a module of its own, so the hand-off lives here)."""


class SiteError(Exception):
    """MkDocs could not build the site, or warned (strict mode)."""


def build_site(
    root: Path,
    build: Path,
    target: Path,
    site_url: str | None = None,
    handoff: Handoff | None = None,
) -> None:
    """Build the site of the repository at `root` (compiled into `build`) into `target`."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    settings = {"POLICYKB_ROOT": str(root), "POLICYKB_BUILD": str(build), **THEME_SWITCHES}
    if site_url:
        settings["POLICYKB_SITE_URL"] = site_url
    with _environment(settings), _warnings_shown():
        HANDOFF.clear()
        if handoff is not None:
            HANDOFF[root.resolve()] = handoff
        try:
            config = load_config(config_file=str(SITE / "mkdocs.yml"), site_dir=str(target), strict=True)
            mkdocs_build(config)
        except MkDocsException as error:
            raise SiteError(str(error)) from error
        finally:
            HANDOFF.clear()


@contextmanager
def _environment(settings: dict[str, str]) -> Iterator[None]:
    """`settings` in the environment (mkdocs.yml reads them with `!ENV`), restored afterwards."""
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _warnings_shown() -> Iterator[None]:
    """MkDocs' logger at WARNING while the build runs, its warnings and errors on stderr."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
