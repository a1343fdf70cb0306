"""The report envelope, its JSON Schema, and writing reports (stdout, JSON Lines, a directory).

Reports are byte-identical for the same input and parameters: floats are rounded
to a fixed precision, NaN becomes null, key order is what the analysis built, and
timings live only in ``manifest.json`` and on stderr.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable, Iterable

from . import __version__
from .errors import InputError

__all__ = ["SCHEMA_VERSION", "envelope", "envelope_schema", "dumps", "atomic_write", "OutputDir", "FLOAT_DIGITS"]

SCHEMA_VERSION = "1.0"
FLOAT_DIGITS = 6


def envelope(
    *,
    analysis: str,
    analysis_version: str | None,
    plugin: str,
    plugin_version: str | None,
    parameters: dict[str, Any],
    corpus: dict[str, Any],
    result: dict[str, Any] | None,
    warnings: list[dict[str, Any]] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One analysis's report, in the shape ``envelope.schema.json`` describes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "relkit_version": __version__,
        "analysis": analysis,
        "analysis_version": analysis_version,
        "plugin": {"name": plugin, "version": plugin_version},
        "parameters": parameters,
        "corpus": corpus,
        "ok": error is None,
        "error": error,
        "warnings": list(warnings or []),
        "result": result if error is None else None,
    }


@lru_cache(maxsize=1)
def envelope_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every report validates against."""
    return json.loads(files("relkit").joinpath("schema/envelope.schema.json").read_text("utf-8"))


def _clean(obj: Any) -> Any:
    if isinstance(obj, float):
        if not math.isfinite(obj):
            return None
        r = round(obj, FLOAT_DIGITS)
        return 0.0 if r == 0 else r  # no "-0.0"
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "tolist") and callable(obj.tolist):  # numpy arrays and scalars
        return _clean(obj.tolist())
    return obj


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """Deterministic JSON text: rounded floats, no NaN, UTF-8 characters kept."""
    seps = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(_clean(obj), ensure_ascii=False, indent=indent, separators=seps, allow_nan=False)


def atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half-written."""
    atomic_write_with(path, lambda write: write(text))


def atomic_write_with(path: str | os.PathLike[str], produce: Callable[[Callable[[str], Any]], None]) -> None:
    """Let ``produce(write)`` write ``path`` piece by piece through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    # mkstemp makes the file private (0600); give it the permissions open() would.
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", errors="strict") as fh:
            produce(fh.write)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class OutputDir:
    """``-o DIR``: ``<analysis>.json`` per analysis plus ``manifest.json``."""

    MANIFEST = "manifest.json"

    def __init__(self, path: str | os.PathLike[str], *, force: bool = False) -> None:
        self.path = Path(path)
        self.previous: list[str] = []
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{self.path}: exists and is not a directory")
        if self.path.is_dir():
            entries = [p for p in self.path.iterdir() if not p.name.startswith(".")]
            manifest = self.path / self.MANIFEST
            if manifest.is_file():
                try:
                    old = json.loads(manifest.read_text("utf-8"))
                    self.previous = [str(f) for f in old.get("files", [])] if isinstance(old, dict) and "relkit_version" in old else []
                    earlier = isinstance(old, dict) and "relkit_version" in old
                except (OSError, ValueError):
                    earlier = False
            else:
                earlier = False
            if entries and not earlier and not force:
                raise InputError(f"{self.path}: directory is not empty and holds no earlier relkit output (use --force to write into it)")
        self.path.mkdir(parents=True, exist_ok=True)
        self.written: list[str] = []

    def write_report(self, name: str, report: dict[str, Any]) -> None:
        filename = f"{name}.json"
        atomic_write(self.path / filename, dumps(report) + "\n")
        self.written.append(filename)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        manifest = dict(manifest)
        manifest["files"] = sorted(self.written)
        # Reports an earlier run wrote that this run did not are stale: remove them.
        for old in self.previous:
            if old not in self.written and old.endswith(".json") and "/" not in old and old != self.MANIFEST:
                try:
                    (self.path / old).unlink()
                except OSError:
                    pass
        atomic_write(self.path / self.MANIFEST, dumps(manifest) + "\n")


def iter_reports(directory: str | os.PathLike[str]) -> Iterable[dict[str, Any]]:
    """The reports in an output directory, in the manifest's order."""
    d = Path(directory)
    manifest = json.loads((d / OutputDir.MANIFEST).read_text("utf-8"))
    for name in manifest.get("files", []):
        yield json.loads((d / name).read_text("utf-8"))
