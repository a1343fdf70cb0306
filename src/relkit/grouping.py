"""Grouping documents by a metadata field, with dates bucketed by year or month.

Every analysis that offers ``group_by`` uses this, so ``-p x.group_by=date:month``
means the same thing everywhere.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

__all__ = ["parse_group_by", "group_key", "group_documents", "GROUP_BY_HELP"]

GROUP_BY_HELP = (
    "metadata field to break results down by (e.g. source); dates are bucketed by year, "
    "or by month with FIELD:month (e.g. date:month)"
)
MISSING = "(none)"
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_group_by(value: str | None) -> tuple[str, str] | None:
    """``"date:month"`` to ``("date", "month")``; ``"source"`` to ``("source", "year")``."""
    if not value:
        return None
    field, _, unit = value.partition(":")
    unit = unit or "year"
    if unit not in ("year", "month", "day", "value"):
        raise ValueError(f"unknown date unit {unit!r} in group_by {value!r} (year, month, day, value)")
    return field.strip(), unit


def group_key(metadata: dict[str, Any], field: str, unit: str = "year") -> str:
    """The group a document with ``metadata`` falls in; ``"(none)"`` when the field is missing."""
    value = metadata.get(field)
    if value is None or value == "":
        return MISSING
    text = str(value).strip()
    m = _ISO_DATE.match(text)
    if m and unit != "value":
        if unit == "year":
            return m.group(1)
        if unit == "month" and m.group(2):
            return f"{m.group(1)}-{m.group(2)}"
        if unit == "day" and m.group(3):
            return text[:10]
    return text


def group_documents(docs: Iterable[Any], group_by: str | None) -> dict[str, list[Any]]:
    """Documents by group (sorted by key, documents in corpus order); {} without group_by."""
    spec = parse_group_by(group_by)
    if spec is None:
        return {}
    field, unit = spec
    groups: dict[str, list[Any]] = {}
    for doc in docs:
        groups.setdefault(group_key(doc.metadata, field, unit), []).append(doc)
    return dict(sorted(groups.items()))
