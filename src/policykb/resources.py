"""Where policykb's own files are: the vocabulary (`schema/`), the SPARQL queries (`queries/`), the
languages' words (`languages/`) and the site template (`site/mkdocs.yml`, `site/pages/`), shipped
inside the package and found with `importlib.resources`, so an installed wheel works as a checkout
does. A repository's own files are found through its root (`policykb.repo`), never here. Reads and
writes nothing itself.

(`schema/` is a folder of data beside the module `schema.py`, which writes the files generated
from it: importing `policykb.schema` gives the module.)
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(name: str) -> Path:
    """A folder of the installed package (policykb is installed as files, never zipped)."""
    return Path(str(files("policykb").joinpath(name)))


VOCABULARY = _folder("schema")
"""policykb's vocabulary: kinds, relations, identifier schemes, stages, statuses, `policykb.ttl`,
SHACL `shapes/` and the generated JSON Schemas (`json/`)."""
QUERIES = _folder("queries")
"""policykb's SPARQL: the check's violation queries (`checks/`) and the cookbook (`examples/`)."""
LANGUAGES = _folder("languages")
"""The words parse reads an agreement by, one file per language (`nl.yaml`, `de.yaml`, …)."""
SITE = _folder("site")
"""The site template: `mkdocs.yml`, the hand-written pages and assets (`pages/`), the hooks."""
