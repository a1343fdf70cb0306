"""Corpus and Document: original text, cleaned view, metadata, shared text features."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator, Sequence

from .cleaning import CleaningStep, clean
from .text import Sentence, TextFeatures, Token, TokenColumns, segment

__all__ = ["Document", "Corpus", "LoadWarning"]


@dataclass(frozen=True)
class LoadWarning:
    """A problem met while loading: the file (and line) and what was wrong."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.line is not None:
            d["line"] = self.line
        return d


class Document:
    """One document.

    ``text`` is the original exactly as read; every offset in every report indexes it.
    ``regions`` are the spans cleaning kept; ``clean_text`` is their concatenation.
    Sentences and tokens are computed once, on first use, and shared by all analyses.
    """

    def __init__(
        self,
        id: str,
        text: str,
        *,
        metadata: dict[str, Any] | None = None,
        path: str | None = None,
        clean_text: bool = True,
        regions: Sequence[tuple[int, int]] | None = None,
        cleaning: Sequence[CleaningStep] = (),
    ) -> None:
        self.id = id
        self.text = text
        self.path = path
        self.metadata: dict[str, Any] = dict(metadata or {})
        if regions is not None:
            self.regions = tuple(regions)
            self.cleaning = tuple(cleaning)
        elif clean_text:
            result = clean(text)
            self.regions = tuple(result.regions)
            self.cleaning = tuple(result.steps)
            for k, v in result.metadata.items():
                self.metadata.setdefault(k, v)  # fields given by the source win
        else:
            self.regions = ((0, len(text)),) if text else ()
            self.cleaning = ()

    def __repr__(self) -> str:
        return f"Document({self.id!r}, {len(self.text)} chars)"

    def __getstate__(self) -> dict[str, Any]:
        # Features are recomputed where needed rather than shipped between processes.
        return {k: getattr(self, k) for k in ("id", "text", "metadata", "path", "regions", "cleaning")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)

    # -- cleaned view -------------------------------------------------------
    @cached_property
    def clean_text(self) -> str:
        return "".join(self.text[s:e] for s, e in self.regions)

    @cached_property
    def _offset_map(self) -> tuple[list[int], list[int]]:
        clean_starts, orig_starts, pos = [], [], 0
        for s, e in self.regions:
            clean_starts.append(pos)
            orig_starts.append(s)
            pos += e - s
        return clean_starts, orig_starts

    def to_original(self, clean_offset: int) -> int:
        """Map an offset into ``clean_text`` to the same character in ``text``."""
        clean_starts, orig_starts = self._offset_map
        if not clean_starts:
            return 0
        i = max(0, bisect.bisect_right(clean_starts, clean_offset) - 1)
        return orig_starts[i] + clean_offset - clean_starts[i]

    # -- shared text features ---------------------------------------------------
    @cached_property
    def features(self) -> TextFeatures:
        return segment(self.text, self.regions)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.features.sentences

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.features.tokens

    @property
    def columns(self) -> TokenColumns:
        """The tokens column by column (no object per token; see :class:`relkit.TokenColumns`)."""
        return self.features.columns

    @property
    def words(self) -> list[Token]:
        return self.features.words

    def sentence_tokens(self, i: int) -> Sequence[Token]:
        return self.features.sentence_tokens(i)

    def drop_features(self) -> None:
        """Free the cached sentences and tokens (they are recomputed on next use)."""
        self.__dict__.pop("features", None)

    # -- evidence ------------------------------------------------------------------
    def span(self, start: int, end: int, **extra: Any) -> dict[str, Any]:
        """An evidence span: ``{"start", "end", "text"}`` with ``text == self.text[start:end]``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside document {self.id!r} of length {len(self.text)}")
        d: dict[str, Any] = {"start": start, "end": end, "text": self.text[start:end]}
        d.update(extra)
        return d

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def is_empty(self) -> bool:
        return not self.clean_text.strip()

    def summary(self, *, with_text: bool = False) -> dict[str, Any]:
        """What ``relkit corpus`` prints for this document."""
        d: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "metadata": self.metadata,
            "chars": len(self.text),
            "clean_chars": len(self.clean_text),
            "sentences": len(self.sentences),
            "words": len(self.words),
            "empty": self.is_empty,
            "cleaning": [s.to_dict() for s in self.cleaning],
        }
        if with_text:
            d["text"] = self.text
            d["clean_text"] = self.clean_text
        return d


@dataclass
class Corpus:
    """An ordered collection of documents, and the warnings met loading them."""

    documents: list[Document] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, key: int | str) -> Document:
        if isinstance(key, str):
            return self._by_id[key]
        return self.documents[key]

    @cached_property
    def _by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    @classmethod
    def from_texts(cls, texts: Iterable[str] | dict[str, str], *, clean: bool = True, metadata: Sequence[dict] | None = None) -> "Corpus":
        """A corpus from strings: a list (ids ``doc0``, ``doc1``…) or a dict of id to text."""
        items = list(texts.items()) if isinstance(texts, dict) else [(f"doc{i}", t) for i, t in enumerate(texts)]
        docs = [
            Document(i, t, clean_text=clean, metadata=(metadata[n] if metadata else None))
            for n, (i, t) in enumerate(items)
        ]
        return cls(docs)

    def subset(self, documents: Sequence[Document]) -> "Corpus":
        return Corpus(list(documents), list(self.warnings))

    def fingerprint(self) -> dict[str, Any]:
        """Document count and a content hash over ids and texts, in order."""
        h = hashlib.sha256()
        for d in self.documents:
            h.update(d.id.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
            h.update(d.content_hash.encode())
            h.update(b"\0")
        return {"documents": len(self.documents), "sha256": h.hexdigest()}
