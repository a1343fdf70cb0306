"""What the HTML report is built from: the manifest, the reports, and the documents' texts.

``relkit analyze -o DIR`` writes ``documents.jsonl`` next to the reports (one line per
document: id, path, metadata, sizes, cleaning log, original text) and names it in the
manifest under ``"documents"``, so ``relkit report DIR`` can show every piece of evidence in
its document.  Without that file (output of an older relkit) the report is still built,
from the document ids the reports mention, without texts.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import InputError
from ..report import OutputDir, atomic_write, dumps

__all__ = ["DOCUMENTS_FILE", "DocInfo", "ReportData", "document_record", "write_documents", "iter_spans"]

DOCUMENTS_FILE = "documents.jsonl"


def document_record(doc: Any) -> dict[str, Any]:
    """One ``documents.jsonl`` line: cheap fields only (no tokenisation)."""
    return {
        "id": doc.id,
        "path": doc.path,
        "metadata": doc.metadata,
        "chars": len(doc.text),
        "clean_chars": len(doc.clean_text),
        "cleaning": [s.to_dict() for s in doc.cleaning],
        "text": doc.text,
    }


def write_documents(directory: str | os.PathLike[str], documents: Iterable[Any]) -> str:
    """Write ``documents.jsonl`` atomically into ``directory``; return its file name."""
    lines = [dumps(document_record(d), indent=None) for d in documents]
    atomic_write(Path(directory) / DOCUMENTS_FILE, "".join(line + "\n" for line in lines))
    return DOCUMENTS_FILE


@dataclass
class DocInfo:
    """A document as the report knows it."""

    id: str
    index: int
    metadata: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    path: str | None = None
    chars: int | None = None
    clean_chars: int | None = None
    cleaning: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        t = self.metadata.get("title") or self.metadata.get("headline")
        if t:
            return str(t)
        if self.text:
            start = 0
            for step in self.cleaning:  # skip a removed leading date line / widget
                if step.get("removed") and step.get("start", 0) <= start < step.get("end", 0):
                    start = step["end"]
            first = self.text[start:].strip().split("\n", 1)[0].strip()
            return first[:90] + ("…" if len(first) > 90 else "")
        return ""

    @classmethod
    def from_record(cls, rec: dict[str, Any], index: int) -> "DocInfo":
        text = rec.get("text")
        return cls(
            id=str(rec.get("id")),
            index=index,
            metadata=dict(rec.get("metadata") or {}),
            text=text if isinstance(text, str) else None,
            path=rec.get("path"),
            chars=rec.get("chars", len(text) if isinstance(text, str) else None),
            clean_chars=rec.get("clean_chars"),
            cleaning=list(rec.get("cleaning") or []),
        )

    @classmethod
    def from_document(cls, doc: Any, index: int) -> "DocInfo":
        return cls.from_record(document_record(doc), index)


def iter_spans(obj: Any, doc: str | None = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str | None, dict[str, Any], tuple[str, ...]]]:
    """Every evidence span in a result: ``(doc_id, span, key_path)``.

    A span is a dict with ``start``, ``end`` and ``text``; inside an entry of a
    ``documents`` list it belongs to that entry's document, elsewhere to its ``doc`` key.
    """
    if isinstance(obj, dict):
        if "start" in obj and "end" in obj and "text" in obj and isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
            yield (str(obj["doc"]) if obj.get("doc") is not None else doc), obj, path
        for k, v in obj.items():
            if isinstance(v, (dict, list)):
                yield from iter_spans(v, doc, path + (str(k),))
    elif isinstance(obj, list):
        in_docs = bool(path) and path[-1] == "documents"
        for item in obj:
            if in_docs and isinstance(item, dict) and isinstance(item.get("id"), str):
                yield from iter_spans(item, item["id"], path)
            elif isinstance(item, (dict, list)):
                yield from iter_spans(item, doc, path)


class ReportData:
    """The manifest, the reports (in manifest order) and the documents."""

    def __init__(self, manifest: dict[str, Any], reports: list[dict[str, Any]], documents: list[DocInfo] | None = None,
                 *, source: str | None = None, notes: list[str] | None = None) -> None:
        self.manifest = manifest or {}
        self.reports = [r for r in reports if isinstance(r, dict)]
        self.source = source
        self.notes = list(notes or [])
        self.has_texts = bool(documents) and any(d.text is not None for d in documents)
        if not documents:
            documents = self._ids_from_reports()
        self.documents = documents
        self.by_id = {d.id: d for d in documents}

    def _ids_from_reports(self) -> list[DocInfo]:
        seen: dict[str, None] = {}
        for rep in self.reports:
            res = rep.get("result") or {}
            for entry in res.get("documents", []) if isinstance(res.get("documents"), list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    seen.setdefault(entry["id"], None)
        return [DocInfo(i, n) for n, i in enumerate(seen)]

    def doc(self, doc_id: Any) -> DocInfo | None:
        return self.by_id.get(str(doc_id)) if doc_id is not None else None

    def add_unknown_doc(self, doc_id: str) -> DocInfo:
        """A document a report names that the document list lacks (kept, without text)."""
        d = DocInfo(doc_id, len(self.documents))
        self.documents.append(d)
        self.by_id[doc_id] = d
        return d

    @classmethod
    def from_directory(cls, directory: str | os.PathLike[str]) -> "ReportData":
        d = Path(directory)
        mpath = d / OutputDir.MANIFEST
        if not mpath.is_file():
            raise InputError(f"{d}: no {OutputDir.MANIFEST} here (write one with: relkit analyze PATH -o {d})")
        try:
            manifest = json.loads(mpath.read_text("utf-8"))
        except ValueError as e:
            raise InputError(f"{mpath}: not valid JSON: {e}") from None
        if not isinstance(manifest, dict):
            raise InputError(f"{mpath}: not a relkit manifest")
        notes: list[str] = []
        reports = []
        for name in manifest.get("files", []):
            try:
                reports.append(json.loads((d / name).read_text("utf-8")))
            except (OSError, ValueError) as e:
                notes.append(f"{name}: could not be read ({type(e).__name__}: {e}); left out")
        docs: list[DocInfo] = []
        dname = manifest.get("documents")
        dfile = d / (dname if isinstance(dname, str) else DOCUMENTS_FILE)
        if dfile.is_file():
            with dfile.open(encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        docs.append(DocInfo.from_record(json.loads(line), len(docs)))
                    except ValueError:
                        notes.append(f"{dfile.name}: a malformed line was skipped")
        else:
            notes.append(f"{DOCUMENTS_FILE} not found: document texts are not shown "
                         f"(relkit analyze -o writes it; re-run it to include the texts)")
        return cls(manifest, reports, docs, source=str(d), notes=notes)

    @classmethod
    def from_run(cls, manifest: dict[str, Any], reports: list[dict[str, Any]], corpus: Iterable[Any]) -> "ReportData":
        docs = [DocInfo.from_document(doc, i) for i, doc in enumerate(corpus)]
        return cls(manifest, reports, docs)
