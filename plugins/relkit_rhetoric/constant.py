"""Read-only values shared by every document's result.

Most of a document's result is empty: of the 16 stance, modal and frame categories a
news text uses a few, and most figure, quote and evidence lists are empty.  A run keeps
every document's result until the corpus part, and every full garbage collection walks
all of them, so each empty category as its own dict and list costs memory and collection
time for nothing.  The empty values are built once here and shared instead.

They are a ``dict`` and a ``list`` (JSON, reports and the HTML renderer see plain
containers) that refuse changes, so one result cannot alter another, and that pickle by
name, so results sent back from worker processes share them too.
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["EMPTY_LIST", "EMPTY_COUNT", "EMPTY_FRAME", "constant"]


def _refuse(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError(f"{type(self).__name__} is a shared read-only value: copy it to change it")


class _ReadOnlyList(list):
    __slots__ = ("_name",)
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return constant, (self._name,)

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return list(self)  # only ever empty


class _ReadOnlyDict(dict):
    __slots__ = ("_name",)
    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = clear = setdefault = _refuse

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return constant, (self._name,)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        import copy

        return copy.deepcopy(dict(self), memo)


_VALUES: dict[str, Any] = {}


def _make(name: str, value: Any) -> Any:
    obj = _ReadOnlyList(value) if isinstance(value, list) else _ReadOnlyDict(value)
    obj._name = name
    _VALUES[name] = obj
    return obj


def constant(name: str) -> Any:
    """The shared value called ``name`` (how pickles refer to it)."""
    return _VALUES[name]


EMPTY_LIST: list[Any] = _make("empty_list", [])
# a stance or modal category without a hit (stance.summarise)
EMPTY_COUNT: dict[str, Any] = _make("empty_count", {"count": 0, "per_1000_words": 0.0, "spans": EMPTY_LIST})
# a frame without a hit (frames.summarise_frames)
EMPTY_FRAME: dict[str, Any] = _make("empty_frame", {"count": 0, "per_1000_words": 0.0, "share": 0.0,
                                                    "terms": _make("empty_dict", {}), "spans": EMPTY_LIST})
