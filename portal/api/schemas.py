"""Building blocks of the OpenAPI schemas the features publish (and the API validates bodies against)."""
from __future__ import annotations

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DAY = {"type": ["string", "null"], "format": "date"}
STAMP = {"type": ["string", "null"], "format": "date-time"}
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
INPUT_DAY = {"type": ["string", "null"], "maxLength": 10, "description": "гггг-мм-дд (или дд.мм.гггг)"}
NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1}
# The query of a paged list (portal.api.base.paged).
PAGING = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
          {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]
ACADEMIC_YEAR = {"type": "string", "pattern": r"^20\d\d-20\d\d$", "description": "учебный год, например 2022-2023"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def text(limit: int, description: str = "") -> dict:
    out = {"type": ["string", "null"], "maxLength": limit}
    return {**out, "description": description} if description else out


def obj(**props) -> dict:
    return {"type": "object", "properties": props}


def strict(required: list[str] | None = None, **props) -> dict:
    """An input body: unknown fields are refused; which fields are required stays the services' rule."""
    out = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = required
    return out


def array(item: dict, max_items: int | None = None) -> dict:
    out = {"type": "array", "items": item}
    if max_items is not None:
        out["maxItems"] = max_items
    return out


def enum(values, nullable: bool = False) -> dict:
    values = list(values)
    return {"type": ["string", "null"], "enum": values + [None]} if nullable else {"type": "string", "enum": values}
