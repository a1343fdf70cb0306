"""The per-document result cache.

Entries are keyed by the analysis, its version, its parameters and the document's
content (text, kept regions, metadata, id), so a changed document, parameter or
analysis version never reuses a stale result.  Entries live in one SQLite file; each
stores its own key, and one that does not parse or does not match is ignored and
rebuilt.  A cache that cannot be opened is switched off with a warning: the cache
never breaks a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from . import __version__
from .analysis import Analysis
from .corpus import Document
from .params import Params

__all__ = ["ResultCache", "default_cache_dir", "CACHE_FORMAT"]

CACHE_FORMAT = 1
_FILE = "results.sqlite3"


def default_cache_dir() -> Path:
    env = os.environ.get("RELKIT_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("relkit"))


def _doc_key(doc: Document) -> str:
    h = hashlib.sha256()
    h.update(doc.id.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(doc.content_hash.encode())
    h.update(json.dumps([list(r) for r in doc.regions]).encode())
    h.update(json.dumps(doc.metadata, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class ResultCache:
    """Per-document results of analyses, in ``DIR/results.sqlite3``."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, warn=None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.hits = 0
        self.misses = 0
        self.enabled = True
        self._warn = warn or (lambda message: None)
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str, str]] = []
        self._conn: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self.directory / _FILE

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or not self.enabled:
            return self._conn
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, analysis TEXT NOT NULL, value TEXT NOT NULL)")
            conn.execute("SELECT COUNT(*) FROM results WHERE 0").fetchall()
            self._conn = conn
        except (sqlite3.Error, OSError) as e:
            # A corrupt or foreign file: set it aside and start afresh, once.
            try:
                if self.path.exists():
                    self.path.replace(self.path.with_suffix(".corrupt"))
                    conn = sqlite3.connect(self.path, timeout=30)
                    conn.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, analysis TEXT NOT NULL, value TEXT NOT NULL)")
                    self._conn = conn
                    self._warn(f"cache {self.path} was unreadable ({e}); started a new one")
                    return self._conn
            except (sqlite3.Error, OSError):
                pass
            self._warn(f"cache disabled: cannot use {self.path}: {e}")
            self.enabled = False
        return self._conn

    @staticmethod
    def key(name: str, cls: type[Analysis], params: Params, doc: Document) -> str:
        h = hashlib.sha256()
        for part in (str(CACHE_FORMAT), __version__, name, cls.version, f"{cls.__module__}.{cls.__qualname__}",
                     json.dumps(params.to_dict(), sort_keys=True, default=str), _doc_key(doc)):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        try:
            token = cls.cache_token(params) if hasattr(cls, "cache_token") else ""
        except Exception:  # cannot tell what the result depends on: never reuse one
            token = os.urandom(16).hex()
        if token:  # only when given, so existing entries keep their keys
            h.update(b"token\0" + str(token).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get(self, name: str, cls: type[Analysis], params: Params, doc: Document) -> dict[str, Any] | None:
        conn = self._connect()
        if conn is None:
            return None
        key = self.key(name, cls, params, doc)
        try:
            row = conn.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is not None:
            try:
                entry = json.loads(row[0])
                if isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("result"), dict):
                    self.hits += 1
                    return entry["result"]
            except (ValueError, TypeError):
                pass  # corrupt entry: recomputed and overwritten
        self.misses += 1
        return None

    def put(self, name: str, cls: type[Analysis], params: Params, doc: Document, result: dict[str, Any]) -> None:
        if self._connect() is None:
            return
        key = self.key(name, cls, params, doc)
        try:
            value = json.dumps({"key": key, "relkit": __version__, "result": result}, ensure_ascii=False, allow_nan=True)
        except (TypeError, ValueError):
            return  # not JSON-able as is: simply not cached
        with self._lock:
            self._pending.append((key, name, value))
            if len(self._pending) >= 500:
                self.flush()

    def flush(self) -> None:
        if not self._pending or self._conn is None:
            return
        try:
            with self._conn:
                self._conn.executemany("INSERT OR REPLACE INTO results (key, analysis, value) VALUES (?, ?, ?)", self._pending)
        except sqlite3.Error as e:
            self._warn(f"cache write failed: {e}")
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": str(self.path), "exists": self.path.exists(), "entries": 0, "bytes": 0, "analyses": {}}
        if not self.path.exists():
            return out
        out["bytes"] = sum(p.stat().st_size for p in self.directory.glob(_FILE + "*"))
        conn = self._connect()
        if conn is not None:
            rows = conn.execute("SELECT analysis, COUNT(*) FROM results GROUP BY analysis ORDER BY analysis").fetchall()
            out["analyses"] = {a: n for a, n in rows}
            out["entries"] = sum(n for _, n in rows)
        return out

    def clear(self) -> int:
        """Delete every entry; return how many there were."""
        n = self.info()["entries"] if self.path.exists() else 0
        self.close()
        for p in self.directory.glob(_FILE + "*"):
            p.unlink()
        return n
