"""The JSON Schema of scenario files, from the pydantic models (editor completion and checks).

``python -m sim.scenario.jsonschema`` writes ``schema/scenario.schema.json`` (a test checks the
shipped file is current); docs/editor-setup.md shows how an editor uses it. The schema follows
the models: descriptions become hover text, choices become enums, bounds become minimum and
maximum. Corrections are applied to what pydantic emits, all generic: bounds it leaves as
``ge``/``le``/``gt``/``lt`` become JSON Schema's ``minimum``/``maximum``/...; a list's length
bounds are ``minItems``/``maxItems`` (not the string keywords); a list of pairs that the file
writes as a mapping (its description says so, e.g. an event's ``group_size``) is an object; and
a field whose description says it also takes a count (``reps``) accepts a positive whole number.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sim.scenario.schema import Scenario

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "scenario.schema.json"
SCHEMA_ID = "https://salesim.invalid/schema/scenario.schema.json"
_LENGTHS = {"minLength": "minItems", "maxLength": "maxItems"}
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _pairs_read_from_a_mapping(node: dict[str, Any]) -> bool:
    """A list of (key, value) pairs that the file writes as a mapping (``group_size``)."""
    items = node.get("items")
    pairs = isinstance(items, dict) and len(items.get("prefixItems", ())) == 2
    return node.get("type") == "array" and pairs and "mapping" in str(node.get("description"))


def _fix(node: Any) -> Any:
    """Walk the schema: list-length keywords on arrays, and 'or a count' fields."""
    if isinstance(node, list):
        return [_fix(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _fix(v) for k, v in node.items() if k != "allow_inf_nan"}
    if out.get("type") in ("integer", "number"):
        out = {_BOUNDS.get(k, k): v for k, v in out.items()}
    if out.get("type") == "array":
        out = {_LENGTHS.get(k, k): v for k, v in out.items()}
    if _pairs_read_from_a_mapping(out):
        key, value = out["items"]["prefixItems"]
        names = {"pattern": "^[0-9]+$"} if key.get("type") == "integer" else {}
        keep = {k: out[k] for k in ("description", "title") if k in out}
        out = {**keep, "type": "object", "additionalProperties": value, "propertyNames": names}
    if out.get("type") == "array" and "or a count" in str(out.get("description", "")):
        keep = {k: out.pop(k) for k in ("description", "title") if k in out}
        out = {**keep, "anyOf": [out, {"type": "integer", "minimum": 1}]}
    return out


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = _fix(Scenario.model_json_schema(by_alias=True, mode="validation"))
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "salesim 情景 scenario",
    }
    return {**head, **{k: v for k, v in schema.items() if k != "title"}}


def schema_text() -> str:
    """The schema file's text (stable: keys in model order, two-space indents)."""
    return json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Write the shipped schema file (``--check``: exit 1 if it is not current)."""
    text = schema_text()
    if "--check" in sys.argv[1:]:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.is_file() else ""
        sys.exit(0 if current == text else 1)
    SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":
    main()
