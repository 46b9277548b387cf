"""JSON Schema of the curated file types, generated from the data model (never edited by hand).

Editors and other tools can validate `agreement.yaml`, measures and `structure.yaml` with these
files; `policykb schema --check` (run by `make test`) fails when they drift from the code.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from policykb.model import Agreement, KbRecord, Measure, Mentions, Structure

SCHEMAS: dict[str, type[BaseModel]] = {"agreement": Agreement, "measure": Measure, "structure": Structure, "mentions": Mentions, "kb-record": KbRecord}


def json_schemas(folder: Path) -> dict[Path, str]:
    """The file each schema belongs in, with its canonical JSON text."""
    return {
        folder / f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, model in SCHEMAS.items()
    }
