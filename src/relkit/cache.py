"""The result cache: per-document results, and corpus-level results of unchanged corpora.

Per-document entries are keyed by the analysis (name, version, class), its parameters,
relkit's version and the document's content (text, kept regions, metadata, id), so a
changed document, parameter or analysis version never reuses a stale result.

Corpus-level entries (what ``analyze_corpus`` returned, and the run's warnings) are keyed
by the same analysis identity and a fingerprint of the exact, ordered list of the
corpus's per-document keys: rerunning an unchanged corpus with the same parameters reuses
the fitted result as is (so the report is byte-identical), while any added, removed,
reordered or changed document refits.  Only the newest ``CORPUS_KEEP`` corpus entries per
analysis are kept, because each can be as large as the report.

Entries live in one SQLite file; each stores its own key, and one that does not parse or
does not match is ignored and rebuilt.  A cache that cannot be opened is switched off
with a warning: the cache never breaks a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import __version__
from .analysis import Analysis
from .corpus import Document
from .params import Params

__all__ = ["ResultCache", "default_cache_dir", "document_key", "encode_entry", "decode_entry", "decode_entries", "CACHE_FORMAT", "CORPUS_KEEP"]

# 2: per-document entries carry their warnings; corpus-level entries.
CACHE_FORMAT = 2
CORPUS_KEEP = 8
_FILE = "results.sqlite3"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, analysis TEXT NOT NULL, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS corpus_results (key TEXT PRIMARY KEY, analysis TEXT NOT NULL, created REAL NOT NULL, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS timings (analysis TEXT PRIMARY KEY, corpus_seconds_per_doc REAL NOT NULL)",
    # A corpus-level result's report text, so a warm run copies it instead of encoding it again.
    "CREATE TABLE IF NOT EXISTS corpus_reports (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    # Peak memory of a corpus-level step per byte of its packed per-document results.
    "CREATE TABLE IF NOT EXISTS corpus_memory (analysis TEXT PRIMARY KEY, bytes_per_packed REAL NOT NULL)",
)
_BATCH = 900  # below SQLite's limit on bound parameters
_HEAD = 512  # compressed bytes that always hold an entry's key (it comes first)


def default_cache_dir() -> Path:
    env = os.environ.get("RELKIT_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("relkit"))


def document_key(doc: Document) -> str:
    """What a document contributes to a cache key: id, text, kept regions, metadata."""
    h = hashlib.sha256()
    h.update(doc.id.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(doc.text.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(json.dumps([list(r) for r in doc.regions]).encode())
    h.update(json.dumps(doc.metadata, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _plain(obj: Any) -> Any:
    """``obj`` as JSON will give it back: string keys, lists, numpy values as Python ones.

    Floats are left exact (not rounded as in reports), so a result read back from the
    cache is the one computed, and its report is byte-identical.
    """
    if isinstance(obj, dict):
        return {(k if isinstance(k, str) else _key_text(k)): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (str, int, float, type(None))):
        return obj
    if hasattr(obj, "tolist") and callable(obj.tolist):
        return _plain(obj.tolist())
    return obj  # not JSON-able: json.dumps refuses it and the result is simply not cached


def _key_text(k: Any) -> str:
    return str(k)  # as the report writer turns a non-string key into text


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "tolist") and callable(obj.tolist):  # numpy arrays and scalars, jsonstream.Deferred
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON-able")


def encode_entry(key: str, result: dict[str, Any], warnings: Sequence[dict[str, Any]] = (), *, exact_keys: bool = False,
                 by_item: bool = False) -> bytes | None:
    """A result as stored (and as held in memory between the two phases): JSON naming its key, zlib'd unless small.

    None if the result is not JSON-able (it is then neither cached nor compacted).  Per-document
    results always go through this, cached or not, so every run sees them the same way; a
    corpus-level result is reported straight when fitted, so ``exact_keys`` first turns
    non-string keys into text as the report writer does (``True`` -> "True", not "true").
    ``by_item`` (for large results with string keys) writes the same text one top-level
    value and one list item at a time, never the whole text as one string.
    """
    if by_item and all(type(k) is str for k in result):
        return _encode_by_item(key, result, warnings)
    entry = {"key": key, "relkit": __version__, "result": result, "warnings": list(warnings)}
    try:
        if exact_keys:  # large: packed piece by piece, never one big string
            from .jsonstream import compressed

            return compressed(entry)
        text = json.dumps(entry, ensure_ascii=False, allow_nan=True, default=_json_default)
    except (TypeError, ValueError, RecursionError, UnicodeEncodeError):
        return None
    return _packed(text.encode("utf-8", "surrogatepass"))


# Below this size an entry is kept as its UTF-8 JSON text: on a few hundred bytes zlib's
# setup costs more CPU than the smaller entry saves.  A packed entry is one or the other:
# JSON text opens with "{", a zlib stream with 0x78.
RAW_MAX = 1024


def _packed(data: bytes) -> bytes:
    return data if len(data) < RAW_MAX else zlib.compress(data, 1)


def _inflated(blob: bytes) -> bytes:
    return blob if blob[:1] == b"{" else zlib.decompress(blob)


def _encode_by_item(key: str, result: dict[str, Any], warnings: Sequence[dict[str, Any]]) -> bytes | None:
    """``encode_entry``'s text (``json.dumps`` of the entry), fed to the compressor piece by piece."""
    enc = json.JSONEncoder(ensure_ascii=False, allow_nan=True, default=_json_default).encode
    z = zlib.compressobj(1)
    parts: list[bytes] = []

    def put(text: str) -> None:
        parts.append(z.compress(text.encode("utf-8", "surrogatepass")))

    try:
        put('{"key": ' + enc(key) + ', "relkit": ' + enc(__version__) + ', "result": {')
        for n, (k, v) in enumerate(result.items()):
            put((", " if n else "") + enc(k) + ": ")
            if type(v) is list and v:
                for m, item in enumerate(v):
                    put((", " if m else "[") + enc(item))
                put("]")
            else:
                put(enc(v))
        put('}, "warnings": ' + enc(list(warnings)) + "}")
    except (TypeError, ValueError, RecursionError, UnicodeEncodeError):
        return None
    parts.append(z.flush())
    return b"".join(parts)


def entry_matches(blob: Any, key: str) -> bool:
    """Cheap check that a stored entry names ``key``: only its first bytes are inflated."""
    if not isinstance(blob, bytes):
        return False
    head = f'{{"key": "{key}", '.encode()
    if blob[:1] == b"{":
        return blob.startswith(head)
    try:
        return zlib.decompressobj().decompress(blob, len(head)) == head
    except zlib.error:
        return False


def decode_entry(blob: Any, key: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """``(result, warnings)`` from a stored entry, or None if it is corrupt or not ``key``'s."""
    if not isinstance(blob, bytes):
        return None
    try:
        text = _inflated(blob).decode("utf-8", "surrogatepass")
    except (zlib.error, UnicodeDecodeError):
        return None
    return _parse_entry(text, key)


class ResultCache:
    """Per-document and corpus-level results of analyses, in ``DIR/results.sqlite3``.

    ``hits``/``misses`` count (analysis, document) pairs: a hit is a document whose
    per-document work was not redone (its result was read back, or a reused corpus-level
    result already holds it); ``corpus_hits``/``corpus_misses`` count corpus-level results.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, warn=None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self.corpus_hits = 0
        self.corpus_misses = 0
        self.enabled = True
        self._warn = warn or (lambda message: None)
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str, bytes]] = []
        self._conn: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self.directory / _FILE

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute("SELECT COUNT(*) FROM results WHERE 0").fetchall()
        conn.execute("SELECT COUNT(*) FROM corpus_results WHERE 0").fetchall()
        return conn

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or not self.enabled:
            return self._conn
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._conn = self._open()
        except (sqlite3.Error, OSError) as e:
            # A corrupt or foreign file: set it aside and start afresh, once.
            try:
                if self.path.exists():
                    self.path.replace(self.path.with_suffix(".corrupt"))
                    for side in ("-wal", "-shm"):
                        Path(str(self.path) + side).unlink(missing_ok=True)
                    self._conn = self._open()
                    self._warn(f"cache {self.path} was unreadable ({e}); started a new one")
                    return self._conn
            except (sqlite3.Error, OSError):
                pass
            self._warn(f"cache disabled: cannot use {self.path}: {e}")
            self.enabled = False
        return self._conn

    # -- keys ------------------------------------------------------------------------
    @staticmethod
    def analysis_key(name: str, cls: type[Analysis], params: Params) -> str:
        """The analysis's part of every key: name, version, class, parameters, relkit, cache_token."""
        h = hashlib.sha256()
        for part in (str(CACHE_FORMAT), __version__, name, cls.version, f"{cls.__module__}.{cls.__qualname__}",
                     json.dumps(params.to_dict(), sort_keys=True, default=str)):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        try:
            token = cls.cache_token(params) if hasattr(cls, "cache_token") else ""
        except Exception:  # cannot tell what the result depends on: never reuse one
            token = os.urandom(16).hex()
        if token:
            h.update(b"token\0" + str(token).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    @staticmethod
    def entry_key(analysis_key: str, doc_key: str) -> str:
        return hashlib.sha256(f"{analysis_key}\0{doc_key}".encode()).hexdigest()

    @staticmethod
    def corpus_key(analysis_key: str, entry_keys: Sequence[str]) -> str:
        """Corpus-level key: the analysis and the exact ordered list of per-document keys."""
        h = hashlib.sha256(f"corpus\0{analysis_key}\0{len(entry_keys)}\0".encode())
        for k in entry_keys:
            h.update(k.encode())
            h.update(b"\n")
        return h.hexdigest()

    @classmethod
    def key(cls, name: str, cls_: type[Analysis], params: Params, doc: Document) -> str:
        return cls.entry_key(cls.analysis_key(name, cls_, params), document_key(doc))

    def _rows(self, keys: Sequence[str], column: str = "value") -> Iterator[tuple]:
        """(key, column...) for each stored key among ``keys``, queried in batches; nothing on a database error."""
        conn = self._connect()
        if conn is None:
            return
        unique = list(dict.fromkeys(keys))
        for b in range(0, len(unique), _BATCH):
            chunk = unique[b : b + _BATCH]
            try:
                rows = conn.execute(f"SELECT key, {column} FROM results WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            except sqlite3.Error:
                rows = []
            yield from rows

    def _matching(self, keys: Sequence[str], column: str, sizes: list[int] | None = None) -> list[Any]:
        """For each key, its stored ``column`` if the entry names that key, else None; counts hits.

        ``sizes``: filled with each found entry's stored (compressed) size, 0 where none.
        """
        where: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            where.setdefault(k, []).append(i)
        out: list[Any] = [None] * len(keys)
        if sizes is not None:
            sizes[:] = [0] * len(keys)
            column += ", length(value)"
        for row in self._rows(keys, column):
            key, value = row[0], row[1]
            if entry_matches(value, key):
                for i in where.get(key, ()):
                    out[i] = value
                    if sizes is not None:
                        sizes[i] = row[2]
        found = sum(1 for e in out if e is not None)
        self.hits += found
        self.misses += len(keys) - found
        return out

    # -- per-document entries ----------------------------------------------------------
    def get_many_raw(self, keys: Sequence[str]) -> list[bytes | None]:
        """The stored entry for each key (still compressed), or None where absent or foreign.

        Only the head of each entry is checked here; the rest is parsed when the corpus part
        needs it, and an entry that turns out corrupt then is recomputed.
        """
        return self._matching(keys, "value")

    def check_many(self, keys: Sequence[str], sizes: list[int] | None = None) -> list[bool]:
        """Whether each key has an entry that names it, reading only the entries' heads (``sizes``: see ``_matching``)."""
        return [head is not None for head in self._matching(keys, f"substr(value, 1, {_HEAD})", sizes)]

    def fetch_raw(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored (compressed) entries of these keys, without counting hits; checked when decoded."""
        return {k: v for k, v in self._rows(keys) if isinstance(v, bytes)}

    def get_many(self, keys: Sequence[str]) -> list[tuple[dict[str, Any], list[dict[str, Any]]] | None]:
        """``(result, warnings)`` for each key, or None where absent, corrupt or foreign."""
        out = []
        for key, blob in zip(keys, self.get_many_raw(keys)):
            entry = decode_entry(blob, key) if blob is not None else None
            if blob is not None and entry is None:  # passed the head check, corrupt further on
                self.hits -= 1
                self.misses += 1
            out.append(entry)
        return out

    def get(self, name: str, cls: type[Analysis], params: Params, doc: Document) -> dict[str, Any] | None:
        hit = self.get_many([self.key(name, cls, params, doc)])[0]
        return hit[0] if hit is not None else None

    def put_raw(self, key: str, name: str, blob: bytes) -> None:
        if self._connect() is None:
            return
        with self._lock:
            self._pending.append((key, name, blob))
            if len(self._pending) >= 500:
                self.flush()

    def put_entry(self, key: str, name: str, result: dict[str, Any], warnings: Sequence[dict[str, Any]] = ()) -> None:
        blob = encode_entry(key, result, warnings)
        if blob is not None:  # not JSON-able as is: simply not cached
            self.put_raw(key, name, blob)

    def put(self, name: str, cls: type[Analysis], params: Params, doc: Document, result: dict[str, Any],
            warnings: Sequence[dict[str, Any]] = ()) -> None:
        self.put_entry(self.key(name, cls, params, doc), name, result, warnings)

    def flush(self) -> None:
        if not self._pending or self._conn is None:
            return
        try:
            with self._conn:
                self._conn.executemany("INSERT OR REPLACE INTO results (key, analysis, value) VALUES (?, ?, ?)", self._pending)
        except sqlite3.Error as e:
            self._warn(f"cache write failed: {e}")
        self._pending.clear()

    # -- corpus-level entries ----------------------------------------------------------------
    def has_corpus(self, key: str) -> bool:
        """Whether a corpus-level entry names ``key``, reading only its head (counts a miss if not).

        The entry is unpacked only when its analysis's turn comes (``get_corpus``), so a
        warm run never holds every analysis's result at once.
        """
        conn = self._connect()
        head = None
        if conn is not None:
            try:
                head = conn.execute(f"SELECT substr(value, 1, {_HEAD}) FROM corpus_results WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                head = None
        found = head is not None and entry_matches(head[0], key)
        if not found:
            self.corpus_misses += 1
        return found

    def get_corpus(self, key: str, *, count: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """A corpus-level ``(result, warnings)``, or None (absent, corrupt or foreign: refit).

        ``count=False``: a second look at an entry already counted (not a hit or miss again).
        """
        conn = self._connect()
        row = None
        if conn is not None:
            try:
                row = conn.execute("SELECT value FROM corpus_results WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                row = None
        entry = decode_entry(row[0], key) if row is not None else None
        if count:
            if entry is None:
                self.corpus_misses += 1
            else:
                self.corpus_hits += 1
        return entry

    def put_corpus(self, key: str, name: str, result: dict[str, Any], warnings: Sequence[dict[str, Any]]) -> None:
        if self._connect() is None:
            return
        blob = encode_entry(key, result, warnings, exact_keys=True)
        if blob is not None:
            self.put_corpus_blob(key, name, blob)

    def put_corpus_blob(self, key: str, name: str, blob: bytes) -> None:
        """Store a corpus-level entry already packed by ``encode_entry(..., exact_keys=True)``."""
        conn = self._connect()
        if conn is None:
            return
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO corpus_results (key, analysis, created, value) VALUES (?, ?, ?, ?)",
                             (key, name, time.time(), blob))
                conn.execute("DELETE FROM corpus_results WHERE analysis = ? AND key NOT IN "
                             "(SELECT key FROM corpus_results WHERE analysis = ? ORDER BY created DESC LIMIT ?)",
                             (name, name, CORPUS_KEEP))
                conn.execute("DELETE FROM corpus_reports WHERE key NOT IN (SELECT key FROM corpus_results)")
        except sqlite3.Error as e:
            self._warn(f"cache write failed: {e}")

    @staticmethod
    def report_header(key: str, warnings: Sequence[dict[str, Any]]) -> bytes:
        """What a stored report text starts with: its key and the run's warnings, one line each."""
        return (key + "\n" + json.dumps(list(warnings), ensure_ascii=True, allow_nan=True, default=str) + "\n").encode("ascii")

    def put_corpus_report(self, key: str, blob: bytes) -> None:
        """Store a corpus-level result's report text (``jsonstream.render`` with ``report_header``),
        next to its entry (it goes when the entry goes)."""
        conn = self._connect()
        if conn is None:
            return
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO corpus_reports (key, value) VALUES (?, ?)", (key, blob))
        except sqlite3.Error as e:
            self._warn(f"cache write failed: {e}")

    def get_corpus_report(self, key: str) -> tuple[bytes, int, list[dict[str, Any]]] | None:
        """``(blob, header bytes, warnings)`` of a stored report text, or None (absent or not
        trustworthy: it must inflate whole, name ``key`` and carry the warnings line).

        Inflated once here and thrown away, so a damaged one is found before any of it is
        written.  Counts a corpus-level hit when found.
        """
        conn = self._connect()
        row = None
        if conn is not None:
            try:
                row = conn.execute("SELECT value FROM corpus_reports WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                row = None
        if row is None or not isinstance(row[0], bytes):
            return None
        blob = row[0]
        z = zlib.decompressobj()
        head = bytearray()
        try:
            for b in range(0, len(blob), 1 << 20):
                out = z.decompress(blob[b : b + (1 << 20)])
                if head.count(b"\n") < 2:  # keep the inflated text only until the header is whole
                    head += out
            first = head.find(b"\n")
            second = head.find(b"\n", first + 1)
            if first < 0 or second < 0 or bytes(head[:first]) != key.encode() or not z.eof:
                return None
            warnings = json.loads(bytes(head[first + 1 : second]))
        except (zlib.error, ValueError):
            return None
        if not isinstance(warnings, list) or not all(isinstance(w, dict) for w in warnings):
            return None
        self.corpus_hits += 1
        return blob, second + 1, warnings

    # -- how long corpus-level steps took, to start the longest first next time ---------------
    def corpus_costs(self) -> dict[str, float]:
        return self._numbers("SELECT analysis, corpus_seconds_per_doc FROM timings", positive=False)

    def corpus_memory(self) -> dict[str, float]:
        """Each analysis's peak corpus-step memory per byte of packed per-document results, as last measured."""
        return self._numbers("SELECT analysis, bytes_per_packed FROM corpus_memory", positive=True)

    def _numbers(self, sql: str, *, positive: bool) -> dict[str, float]:
        """``{analysis: number}`` from a two-column query; anything unreadable is left out, never raised."""
        conn = self._connect()
        if conn is None:
            return {}
        try:
            rows = conn.execute(sql).fetchall()
        except sqlite3.Error:
            return {}
        return {a: float(v) for a, v in rows if isinstance(v, (int, float)) and (v > 0 or not positive)}

    def put_corpus_memory(self, name: str, peak_bytes: int, packed_bytes: int) -> None:
        conn = self._connect()
        if conn is None or packed_bytes <= 0 or peak_bytes <= 0:
            return
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO corpus_memory (analysis, bytes_per_packed) VALUES (?, ?)",
                             (name, peak_bytes / packed_bytes))
        except sqlite3.Error:
            pass

    def put_corpus_cost(self, name: str, seconds: float, documents: int) -> None:
        conn = self._connect()
        if conn is None:
            return
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO timings (analysis, corpus_seconds_per_doc) VALUES (?, ?)",
                             (name, seconds / max(documents, 1)))
        except sqlite3.Error:
            pass

    # -- housekeeping ----------------------------------------------------------------------------
    def close(self) -> None:
        self.flush()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": str(self.path), "exists": self.path.exists(), "entries": 0, "bytes": 0, "analyses": {},
                               "corpus_entries": 0, "corpus_analyses": {}}
        if not self.path.exists():
            return out
        out["bytes"] = sum(p.stat().st_size for p in self.directory.glob(_FILE + "*"))
        conn = self._connect()
        if conn is not None:
            rows = conn.execute("SELECT analysis, COUNT(*) FROM results GROUP BY analysis ORDER BY analysis").fetchall()
            out["analyses"] = {a: n for a, n in rows}
            out["entries"] = sum(n for _, n in rows)
            rows = conn.execute("SELECT analysis, COUNT(*) FROM corpus_results GROUP BY analysis ORDER BY analysis").fetchall()
            out["corpus_analyses"] = {a: n for a, n in rows}
            out["corpus_entries"] = sum(n for _, n in rows)
        return out

    def clear(self) -> int:
        """Delete every entry (per-document and corpus-level); return how many there were."""
        info = self.info() if self.path.exists() else {"entries": 0, "corpus_entries": 0}
        self.close()
        for p in self.directory.glob(_FILE + "*"):
            p.unlink()
        return info["entries"] + info["corpus_entries"]


def decode_entries(blobs: Sequence[Any], keys: Sequence[str]) -> list[tuple[dict[str, Any], list[dict[str, Any]]] | None]:
    """``decode_entry`` for many entries at once, parsed as one JSON array.

    One parse shares one string for every repeated key and word across the entries (the
    JSON parser's memo), instead of a copy per entry: a corpus-level step holds a fifth
    less.  Falls back to one entry at a time where the batch does not parse.
    """
    texts: list[str] = []
    where: list[int] = []
    out: list[Any] = [None] * len(keys)
    for i, (blob, key) in enumerate(zip(blobs, keys)):
        if not isinstance(blob, bytes):
            continue
        try:
            texts.append(_inflated(blob).decode("utf-8", "surrogatepass"))
        except (zlib.error, UnicodeDecodeError):
            continue
        where.append(i)
    try:
        parsed = json.loads("[" + ",".join(texts) + "]") if texts else []
    except (ValueError, RecursionError):
        parsed = None
    del texts
    if parsed is None:
        for i in where:
            out[i] = decode_entry(blobs[i], keys[i])
        return out
    for i, entry in zip(where, parsed):
        out[i] = _checked(entry, keys[i])
    return out


def _checked(entry: Any, key: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("result"), dict):
        return None
    warnings = entry.get("warnings", [])
    if not isinstance(warnings, list) or not all(isinstance(w, dict) for w in warnings):
        return None
    return entry["result"], warnings


def _parse_entry(value: Any, key: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A stored entry if it parses and names ``key``; anything else is not trusted."""
    try:
        entry = json.loads(value)
    except (ValueError, TypeError):
        return None
    return _checked(entry, key)
