"""JSON Schemas of the playbook's files, for editors that check YAML as you type."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from .models import DOCUMENT_MODELS
from .names import (
    CHECKLISTS_FOLDER,
    COHORTS_FOLDER,
    CONTENT_FOLDER,
    GUIDES_FOLDER,
    PROGRAMS_FOLDER,
    SETTINGS_FILE,
    WORKSHEETS_FOLDER,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {
    "playbook": f"{SETTINGS_FILE}: the playbook's settings",
    "program": f"{CONTENT_FOLDER}/{PROGRAMS_FOLDER}/*.yaml: a program",
    "worksheet": f"{CONTENT_FOLDER}/{WORKSHEETS_FOLDER}/*.yaml: a worksheet",
    "checklist": f"{CONTENT_FOLDER}/{CHECKLISTS_FOLDER}/*.yaml: a checklist",
    "guide": f"{CONTENT_FOLDER}/{GUIDES_FOLDER}/**/*.md: a guide's front matter",
    "cohort": f"{CONTENT_FOLDER}/{COHORTS_FOLDER}/*.yaml: a cohort of pairs",
}


def json_schema(kind: str | None = None) -> dict[str, Any]:
    """The schema of one kind of file, or of all of them (any one kind) when `kind` is None."""
    if kind is not None:
        schema = DOCUMENT_MODELS[kind].model_json_schema()
        return {"$schema": DIALECT, **schema, "title": TITLES[kind]}
    refs, defs = models_json_schema([(model, "validation") for model in DOCUMENT_MODELS.values()])
    return {
        "$schema": DIALECT,
        "title": "Any file of a playbook",
        "anyOf": [{**refs[(model, "validation")], "title": TITLES[k]} for k, model in DOCUMENT_MODELS.items()],
        **defs,
    }
