"""NENA's EIDO 021.1b schema, vendored in tests/data/eido: validate an EIDO, and list the names
it uses that the schema does not define (the schema allows extra names; 021.1b output must
not use them)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FOLDER = Path(__file__).resolve().parents[1] / "data" / "eido"
BASE = "file:///eido/"
EIDO = "EmergencyIncidentDataObjectType"
PERSON_ROLES = {
    "InvolvedPerson", "Caller", "Patient", "PatientAcquaintance", "PatientRelative",
    "PersonOfInterest", "ReportingParty", "Suspect", "Victim", "VictimAcquaintance",
    "VictimRelative", "Witness",
}  # fmt: skip


@cache
def _documents() -> dict[str, Any]:
    openapi = yaml.safe_load((FOLDER / "openapi.yaml").read_text("utf-8"))
    nc = yaml.safe_load((FOLDER / "NIEMComponents" / "nc.yaml").read_text("utf-8"))
    return {"openapi.yaml": openapi, "NIEMComponents/nc.yaml": nc, "NIEMComponents//nc.yaml": nc}


@cache
def _validator() -> Draft7Validator:
    registry: Registry[Any] = Registry().with_resources(
        (BASE + name, Resource.from_contents(body, default_specification=DRAFT7))
        for name, body in _documents().items()
    )
    schema = {"$ref": f"{BASE}openapi.yaml#/components/schemas/{EIDO}"}
    return Draft7Validator(schema, registry=registry)


def schema_errors(document: dict[str, Any]) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in _validator().iter_errors(document)]


def _schemas() -> dict[str, Any]:
    return dict(_documents()["openapi.yaml"]["components"]["schemas"])


def _properties(name: str) -> dict[str, Any]:
    """Every property a component type defines, through its allOf."""
    schema = _schemas()[name]
    found: dict[str, Any] = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            found.update(_properties(part["$ref"].rsplit("/", 1)[1]))
        found.update(part.get("properties", {}))
    return found


def undefined_names(document: dict[str, Any], kind: str = EIDO, where: str = "") -> list[str]:
    """Names in `document` that the 021.1b schema does not define for its type."""
    defined = _properties(kind)
    problems = []
    for key, value in document.items():
        if key not in defined:
            problems.append(f"{where}{key}")
            continue
        spec = defined[key]
        item = spec.get("items", spec)
        ref = item.get("$ref", "")
        if not ref.startswith("#/components/schemas/") or ref.endswith("ReferenceType"):
            continue
        inner = ref.rsplit("/", 1)[1]
        for element in value if isinstance(value, list) else [value]:
            if isinstance(element, dict):  # a code (`linkDirectionCode`) has no names inside
                problems += undefined_names(element, inner, f"{where}{key}.")
    return problems
