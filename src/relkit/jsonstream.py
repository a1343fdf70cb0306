"""JSON written piece by piece, so a large report never exists as one string in memory.

``json.dumps(..., indent=2)`` builds the whole text (and ``report.dumps`` a cleaned copy of
the whole report first): on a large corpus that is several times the report's own size.
Here the same text is produced in chunks, cleaning values on the way:

* ``write_report(path, obj)`` writes exactly ``report.dumps(obj) + "\\n"`` (floats rounded
  to ``FLOAT_DIGITS``, NaN as null, keys as text), through a temporary file and a rename;
* ``compressed(obj)`` is zlib-compressed ``json.dumps(obj, allow_nan=True)`` (floats kept
  exact), for the cache;
* ``render(obj, level)`` is a value's report text, zlib-compressed, as it appears nested
  ``level`` deep in a report; ``Rendered`` holds such text and ``chunks`` copies it out
  instead of encoding the value again (a warm run writes a cached report piece this way).
"""

from __future__ import annotations

import codecs
import json
import math
import os
import zlib
from json.encoder import encode_basestring  # the C version where available
from typing import Any, Callable

from .report import FLOAT_DIGITS, atomic_write_with

__all__ = ["write_report", "compressed", "chunks", "render", "Rendered"]

_FLUSH = 4096  # pieces gathered before they are handed on


def _exact_float(x: float) -> str:
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "Infinity" if x > 0 else "-Infinity"
    return float.__repr__(x)


def _report_float(x: float) -> str:
    if not math.isfinite(x):
        return "null"
    r = round(x, FLOAT_DIGITS)
    return "0.0" if r == 0 else float.__repr__(r)


class Rendered:
    """A value already rendered as report text (indent 2, nested ``level`` deep), compressed.

    ``blob`` inflates to ``skip`` header bytes and then the text; ``load()`` gives the
    value itself, for the writers that need it in another form (stdout, HTML).
    """

    __slots__ = ("blob", "level", "skip", "_load")

    def __init__(self, blob: bytes, level: int, load: Callable[[], Any], skip: int = 0) -> None:
        self.blob, self.level, self.skip, self._load = blob, level, skip, load

    def load(self) -> Any:
        return self._load()

    def write(self, sink: Callable[[str], Any], piece: int = 1 << 20) -> None:
        z = zlib.decompressobj()
        text = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        skip = self.skip
        for b in range(0, len(self.blob), piece):
            data = z.decompress(self.blob[b : b + piece])
            if skip:
                cut = min(skip, len(data))
                data, skip = data[cut:], skip - cut
            if data:
                sink(text.decode(data))
        rest = text.decode(z.flush(), final=True)
        if rest:
            sink(rest)


class Deferred:
    """A value held as its compact JSON text until it is written.

    The corpus step holds every document's result at once; the parts of them its
    analysis never reads (``Analysis.unread_keys``) wait as text, a fraction of their size
    as objects.  Every writer turns it back into the value (``load()``), so reports and
    cache entries are the same bytes as if it had never been deferred.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def load(self) -> Any:
        return json.loads(self.text)

    # The "to plain Python" method every relkit writer already honours for numpy values
    # (report.dumps, the cache's encoder), as numpy scalars give a plain scalar back.
    tolist = load

    @classmethod
    def of(cls, value: Any) -> "Deferred":
        return cls(json.dumps(value, ensure_ascii=False, allow_nan=True, separators=(",", ":")))


def undefer(obj: Any) -> Any:
    """``obj`` with every :class:`Deferred` inside it (dict values, list items) loaded, in place."""
    if isinstance(obj, Deferred):
        return obj.load()
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (Deferred, dict, list)):
                obj[k] = undefer(v)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, (Deferred, dict, list)):
                obj[i] = undefer(v)
    return obj


def defer_paths(result: dict[str, Any], paths: Any) -> None:
    """Replace the non-empty values at ``paths`` (dotted keys; ``*``: every key of a dict, every
    item of a list) with :class:`Deferred`."""
    for path in paths:
        _defer(result, path.split("."))


def _defer(obj: Any, parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if type(obj) is list:
        keys: Any = range(len(obj)) if head == "*" else ()
    else:
        keys = list(obj) if head == "*" else [head] if head in obj else ()
    for k in keys:
        v = obj[k]
        if not rest:
            if v and isinstance(v, (dict, list)):  # empty ones are tiny (and may be shared, read-only)
                obj[k] = Deferred.of(v)
        elif type(v) is dict or type(v) is list:
            _defer(v, rest)


def chunks(obj: Any, sink: Callable[[str], None], *, indent: int | None = 2, report: bool = True, level: int = 0,
           odd_keys: list[Any] | None = None) -> None:
    """Hand ``obj``'s JSON text to ``sink`` in pieces.

    ``report=True``: the text of ``report.dumps(obj, indent=indent)``; ``report=False``:
    the text of ``json.dumps(obj, indent=indent, ensure_ascii=False, allow_nan=True)``
    with keys turned into text as reports do (``True`` -> "True").  ``level``: how deep
    ``obj`` is nested in the text it belongs to (the indentation of its inner lines).
    ``odd_keys``: gets every dict key that is not exactly a str, int or float (the keys
    ``json.dumps`` would write otherwise, or refuse).
    """
    floatstr = _report_float if report else _exact_float
    if indent is None:
        item_sep, key_sep = (",", ":") if report else (", ", ": ")
    else:
        item_sep, key_sep = ",", ": "
    buf: list[str] = []
    push = buf.append
    enc = encode_basestring
    int_repr = int.__repr__
    # Leaves are written where they are met (no call per string or number): the common
    # case, so a large report costs a fraction of what one call per value would.
    str_t, int_t, float_t, dict_t, list_t = str, int, float, dict, list

    def flush() -> None:
        sink("".join(buf))
        buf.clear()

    def key_text(k: Any) -> str:
        if odd_keys is not None and type(k) not in (int_t, float_t):
            odd_keys.append(k)
        return k if isinstance(k, str_t) else str(k)

    def value(o: Any, level: int) -> None:
        t = type(o)
        if t is str_t:
            push(enc(o))
        elif t is dict_t:
            container_dict(o, level)
        elif t is list_t or t is tuple:
            container_list(o, level)
        elif t is int_t:
            push(int_repr(o))
        elif t is float_t:
            push(floatstr(o))
        elif isinstance(o, str):
            push(enc(o))
        elif o is None:
            push("null")
        elif o is True:
            push("true")
        elif o is False:
            push("false")
        elif isinstance(o, int):
            push(int.__repr__(o))
        elif isinstance(o, float):
            push(floatstr(o))
        elif isinstance(o, dict):
            container_dict(o, level)
        elif isinstance(o, (list, tuple)):
            container_list(o, level)
        elif isinstance(o, Rendered):
            if report and indent == 2 and level == o.level:
                flush()
                o.write(sink)
            else:
                value(o.load(), level)
        elif hasattr(o, "tolist") and callable(o.tolist):  # numpy arrays and scalars, Deferred
            value(o.tolist(), level)
        else:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    def container_dict(o: dict, level: int) -> None:
        if not o:
            push("{}")
            return
        if indent is None:
            first_sep, next_sep, close = "{", item_sep, "}"
        else:
            inner = "\n" + " " * (indent * (level + 1))
            first_sep, next_sep, close = "{" + inner, "," + inner, "\n" + " " * (indent * level) + "}"
        sep = first_sep
        deeper = level + 1 if indent is not None else level
        for k, v in o.items():
            push(sep)
            sep = next_sep
            push(enc(k) if type(k) is str_t else enc(key_text(k)))
            push(key_sep)
            t = type(v)
            if t is str_t:
                push(enc(v))
            elif t is int_t:
                push(int_repr(v))
            elif t is float_t:
                push(floatstr(v))
            else:
                value(v, deeper)
                if len(buf) > _FLUSH:
                    flush()
        push(close)

    def container_list(o: Any, level: int) -> None:
        if not o:
            push("[]")
            return
        if indent is None:
            first_sep, next_sep, close = "[", item_sep, "]"
        else:
            inner = "\n" + " " * (indent * (level + 1))
            first_sep, next_sep, close = "[" + inner, "," + inner, "\n" + " " * (indent * level) + "]"
        sep = first_sep
        deeper = level + 1 if indent is not None else level
        for v in o:
            push(sep)
            sep = next_sep
            t = type(v)
            if t is str_t:
                push(enc(v))
            elif t is int_t:
                push(int_repr(v))
            elif t is float_t:
                push(floatstr(v))
            else:
                value(v, deeper)
                if len(buf) > _FLUSH:
                    flush()
        push(close)

    value(obj, level)
    flush()


def write_report(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``report.dumps(obj) + "\\n"`` to ``path`` piece by piece; never half-written."""

    def produce(write: Callable[[str], Any]) -> None:
        chunks(obj, write)
        write("\n")

    atomic_write_with(path, produce)


def compressed(obj: Any, level: int = 1) -> bytes:
    """zlib-compressed compact JSON of ``obj`` with exact floats, built piece by piece."""
    z = zlib.compressobj(level)
    parts: list[bytes] = []
    chunks(obj, lambda s: parts.append(z.compress(s.encode("utf-8", "surrogatepass"))), indent=None, report=False)
    parts.append(z.flush())
    return b"".join(parts)


def render(obj: Any, level: int, header: bytes = b"", odd_keys: list[Any] | None = None) -> bytes:
    """zlib-compressed ``header`` + ``obj``'s report text nested ``level`` deep (see ``Rendered``)."""
    z = zlib.compressobj(1)
    parts: list[bytes] = [z.compress(header)]
    chunks(obj, lambda s: parts.append(z.compress(s.encode("utf-8", "surrogatepass"))), level=level, odd_keys=odd_keys)
    parts.append(z.flush())
    return b"".join(parts)
