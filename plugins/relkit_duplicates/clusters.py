"""Connected groups of duplicates, with stable ids, a representative and the earliest
member by date."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable, Sequence

__all__ = ["components", "parse_date", "describe_cluster"]

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find) with at least two members, each sorted, in
    order of their first member."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def parse_date(value: Any) -> date | None:
    """A date from metadata (ISO ``YYYY-MM-DD…`` string, date or datetime), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _ISO.match(value)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def describe_cluster(
    members: Sequence[int],
    ids: Sequence[str],
    words: Sequence[int],
    dates: Sequence[date | None],
    exact_only: bool,
    representative: str,
) -> dict[str, Any]:
    """``members`` are corpus indices.  The id is the smallest member id, so it does not
    change when unrelated documents are added or removed."""
    mids = sorted(ids[m] for m in members)
    dated = [(dates[m], ids[m]) for m in members if dates[m] is not None]
    earliest = min(dated) if dated else None
    first = min(members)
    if representative == "earliest" and earliest is not None:
        rep = earliest[1]
    elif representative == "first":
        rep = ids[first]
    else:  # longest; ties: earliest date, then corpus order
        far = date.max
        rep = ids[min(members, key=lambda m: (-words[m], dates[m] or far, m))]
    return {
        "id": mids[0],
        "size": len(members),
        "members": mids,
        "representative": rep,
        "earliest": ({"id": earliest[1], "date": earliest[0].isoformat()} if earliest else None),
        "exact": exact_only,
    }
