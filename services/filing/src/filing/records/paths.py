"""Field paths as the API names them (camelCase, list indexes as segments), and the diff of two
versions of a record's data by those paths."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """{"legal_representative": {"id_number": x}} → {"legalRepresentative.idNumber": x}."""
    if isinstance(data, Mapping):
        items: list[tuple[str, Any]] = [(camel(str(k)), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(str(i), v) for i, v in enumerate(data)]
    else:
        return {prefix: data} if prefix else {}
    flat: dict[str, Any] = {}
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping | list) and value:
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: str | None
    after: str | None


def _text(value: Any) -> str | None:
    if value is None or value == "" or value == [] or value == {}:
        return None
    return str(value)


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[FieldChange]:
    """Which fields differ between two versions (in the order of `after`, then removed ones)."""
    old, new = flatten(before or {}), flatten(after)
    changes = [
        FieldChange(path, _text(old.get(path)), _text(value))
        for path, value in new.items()
        if _text(old.get(path)) != _text(value)
    ]
    changes += [
        FieldChange(path, _text(value), None)
        for path, value in old.items()
        if path not in new and _text(value) is not None
    ]
    return changes
