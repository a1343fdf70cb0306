"""Corpus formats: plain text, JSON Lines, CSV/TSV; and the machinery that reads paths.

Each format is a :class:`Loader` registered through the ``register_loaders`` hook, the
same way a plugin adds one.  Problems with one file or one line become warnings and
the rest of the corpus still loads.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from .collector import quiet_collector
from .corpus import Corpus, Document, LoadWarning
from .errors import InputError

__all__ = ["Loader", "LoadContext", "decode_bytes", "load_paths", "BUILTIN_LOADERS"]


@dataclass(frozen=True)
class Loader:
    """A corpus format: ``load(ctx)`` yields Documents for one file."""

    name: str
    extensions: tuple[str, ...]
    load: Callable[["LoadContext"], Iterable[Document]]
    description: str = ""


@dataclass
class LoadContext:
    """What a loader gets for one input: its bytes, names and options."""

    path: str  # as shown to users; "-" for stdin
    doc_id: str  # default id: the path relative to the root given, without extension
    data: bytes
    text_field: str = "text"
    id_field: str = "id"
    clean: bool = True
    warnings: list[LoadWarning] = field(default_factory=list)

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(LoadWarning(self.path, message, line))

    def decode(self) -> str | None:
        """The data as text (BOMs, UTF-16, legacy 8-bit); None, with a warning, if binary."""
        text, problem = decode_bytes(self.data)
        if text is None:
            self.warn(problem or "cannot be decoded")
        elif problem:
            self.warn(problem)
        return text

    def document(self, id: str, text: str, metadata: dict[str, Any] | None = None) -> Document:
        return Document(id, text, metadata=metadata, path=self.path, clean_text=self.clean)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode ``data``; return (text, warning) or (None, reason) for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), None
        except UnicodeDecodeError as e:
            return None, f"invalid UTF-8 after a UTF-8 BOM at byte {e.start}"
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), None
            except UnicodeDecodeError as e:
                return None, f"invalid {enc.upper()} at byte {e.start}"
    sample = data[:8192]
    if b"\0" in sample:
        return None, "binary file (NUL bytes), not text"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > 0.05:
        return None, "binary file (control bytes), not text"
    try:
        return data.decode("cp1252"), "not UTF-8; decoded as Windows-1252 (legacy 8-bit)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8; decoded as Latin-1 (legacy 8-bit)"


def _load_text(ctx: LoadContext) -> Iterable[Document]:
    text = ctx.decode()
    if text is not None:
        yield ctx.document(ctx.doc_id, text)


def _record_document(ctx: LoadContext, record: dict[str, Any], line: int, default_id: str) -> Document | None:
    text = record.get(ctx.text_field)
    if text is None:
        ctx.warn(f"no {ctx.text_field!r} field", line)
        return None
    if not isinstance(text, str):
        ctx.warn(f"{ctx.text_field!r} is {type(text).__name__}, not a string", line)
        return None
    raw_id = record.get(ctx.id_field)
    doc_id = str(raw_id) if raw_id not in (None, "") else default_id
    metadata = {k: v for k, v in record.items() if k not in (ctx.text_field, ctx.id_field)}
    return ctx.document(doc_id, text, metadata)


def _load_jsonl(ctx: LoadContext) -> Iterable[Document]:
    text = ctx.decode()
    if text is None:
        return
    # Records end at "\n" only: str.splitlines() would also break on U+2028, U+0085 and
    # other separators that JSON strings may hold unescaped.
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            ctx.warn(f"malformed JSON ({e.msg} at column {e.colno}); line skipped", n)
            continue
        if not isinstance(record, dict):
            ctx.warn(f"expected a JSON object, got {type(record).__name__}; line skipped", n)
            continue
        doc = _record_document(ctx, record, n, f"{ctx.doc_id}:{n}")
        if doc is not None:
            yield doc


def _load_delimited(ctx: LoadContext, delimiter: str) -> Iterable[Document]:
    text = ctx.decode()
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as e:
        ctx.warn(f"malformed header: {e}", 1)
        return
    if ctx.text_field not in header:
        ctx.warn(f"no {ctx.text_field!r} column (columns: {', '.join(header)})", 1)
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            ctx.warn(f"malformed row: {e}; row skipped", reader.line_num)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            ctx.warn(f"row has {len(row)} fields, header has {len(header)}; row skipped", reader.line_num)
            continue
        doc = _record_document(ctx, dict(zip(header, row)), reader.line_num, f"{ctx.doc_id}:{reader.line_num}")
        if doc is not None:
            yield doc


BUILTIN_LOADERS: tuple[Loader, ...] = (
    Loader("text", (".txt", ".md"), _load_text, "one document a file"),
    Loader("jsonl", (".jsonl", ".ndjson"), _load_jsonl, "one JSON object a line (--text-field, --id-field)"),
    Loader("csv", (".csv",), lambda ctx: _load_delimited(ctx, ","), "one row a document, with a header"),
    Loader("tsv", (".tsv",), lambda ctx: _load_delimited(ctx, "\t"), "one row a document, with a header"),
)


def _strip_ext(rel: str) -> str:
    root, _ext = os.path.splitext(rel)
    return root


def _expand(path: str, by_ext: dict[str, Loader]) -> list[tuple[str, str]]:
    """(file, id) pairs for one input path: a file, a directory or a glob."""
    if path == "-":
        return [("-", "stdin")]
    if any(c in path for c in "*?[") and not os.path.exists(path):
        matches = sorted(glob.glob(path, recursive=True))
        files = [m for m in matches if os.path.isfile(m)]
        if not files:
            raise InputError(f"{path}: no files match this pattern")
        return [(f, _strip_ext(os.path.basename(f))) for f in files]
    if os.path.isdir(path):
        found = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.startswith(".") or os.path.splitext(name)[1].lower() not in by_ext:
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, path).replace(os.sep, "/")
                found.append((full, _strip_ext(rel)))
        found.sort(key=lambda p: p[1])
        return found
    if os.path.exists(path):
        return [(path, _strip_ext(os.path.basename(path)))]
    raise InputError(f"{path}: no such file or directory")


def load_paths(
    paths: Sequence[str | os.PathLike[str]],
    loaders: Sequence[Loader],
    *,
    text_field: str = "text",
    id_field: str = "id",
    clean: bool = True,
    input_format: str | None = None,
    stdin: io.BufferedIOBase | None = None,
) -> Corpus:
    """Read every path into one Corpus (stable order); raise InputError if it is empty."""
    paths = [os.fspath(p) for p in paths]  # pathlib.Path as well as str
    by_ext: dict[str, Loader] = {}
    by_name: dict[str, Loader] = {}
    for loader in loaders:
        by_name[loader.name] = loader
        for ext in loader.extensions:
            by_ext[ext.lower()] = loader
    if input_format is not None and input_format not in by_name:
        raise InputError(f"unknown input format {input_format!r} (known: {', '.join(sorted(by_name))})")
    if not paths:
        raise InputError("no input paths given")

    corpus = Corpus()
    seen: dict[str, int] = {}
    with quiet_collector():  # documents and their cleaning logs live for the whole run
        for path in paths:
            for file, doc_id in _expand(path, by_ext):
                if file == "-":
                    stream = stdin if stdin is not None else sys.stdin.buffer
                    data = stream.read()
                else:
                    try:
                        with open(file, "rb") as fh:
                            data = fh.read()
                    except OSError as e:
                        corpus.warnings.append(LoadWarning(file, f"cannot be read: {e.strerror or e}"))
                        continue
                loader = _choose_loader(file, data, input_format, by_ext, by_name)
                ctx = LoadContext(file, doc_id, data, text_field, id_field, clean)
                try:
                    for doc in loader.load(ctx):
                        n = seen.get(doc.id, 0)
                        seen[doc.id] = n + 1
                        if n:
                            new_id = f"{doc.id}#{n + 1}"
                            ctx.warn(f"duplicate document id {doc.id!r}; renamed {new_id!r}")
                            doc.id = new_id
                        corpus.documents.append(doc)
                except Exception as e:  # a plugin's loader must not take the run down
                    ctx.warn(f"loader {loader.name!r} failed: {type(e).__name__}: {e}")
                corpus.warnings.extend(ctx.warnings)
    if not corpus.documents:
        detail = f" ({corpus.warnings[0]})" if corpus.warnings else ""
        raise InputError(f"no documents found in {', '.join(paths)}{detail}")
    return corpus


def _choose_loader(file: str, data: bytes, input_format: str | None, by_ext: dict[str, Loader], by_name: dict[str, Loader]) -> Loader:
    if input_format:
        return by_name[input_format]
    ext = os.path.splitext(file)[1].lower()
    if ext in by_ext:
        return by_ext[ext]
    # stdin or an unknown extension: JSON Lines if it looks like it, else plain text.
    if data.lstrip()[:1] == b"{" and "jsonl" in by_name:
        return by_name["jsonl"]
    return by_name.get("text", next(iter(by_name.values())))
