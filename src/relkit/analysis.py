"""The Analysis contract a plugin implements.

An analysis has a per-document part (independent per document, so it can run in
parallel and be cached) and/or a corpus part (everything that needs all documents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

from .params import Parameter, Params

if TYPE_CHECKING:
    from .corpus import Corpus, Document

__all__ = ["Analysis", "Context"]


@dataclass
class Context:
    """What an analysis gets besides its input: its parameters and a way to warn."""

    params: Params
    analysis: str = ""
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def warn(self, message: str, *, doc: str | None = None) -> None:
        """Record a warning; it appears in the report's ``warnings`` and on stderr."""
        w: dict[str, Any] = {"message": message}
        if doc is not None:
            w["doc"] = doc
        self.warnings.append(w)


class Analysis:
    """Base class for analyses.

    Subclasses set ``name``, ``description``, ``version`` and ``parameters`` and
    override :meth:`analyze_document`, :meth:`analyze_corpus`, or both.

    * ``analyze_document(doc, ctx)`` returns a JSON-able dict for one document; the
      runner gathers them into ``result["documents"]`` as ``{"id": ..., **dict}`` in
      corpus order.
      Keys starting with ``_`` are private: passed to ``analyze_corpus`` and cached
      with the rest, but stripped from the report (state the corpus part needs, such
      as term counts, so it need not tokenise the corpus again).
    * ``analyze_documents(docs, ctx)``, optional: the same for a batch of documents at
      once, where that is cheaper (see its docstring).
    * ``analyze_corpus(corpus, ctx, documents)`` gets the corpus and the per-document
      results (or None) and returns a dict merged into ``result`` (it may replace
      ``"documents"``).

    Evidence is a dict ``{"start", "end", "text"}`` (``doc.span(start, end)``) where
    ``text == doc.text[start:end]``; outside a ``documents`` entry it also names its
    document with ``"doc"``.  Raise to fail: the runner turns it into an ``ok: false``
    report and the other analyses go on.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    parameters: ClassVar[Sequence[Parameter]] = ()
    # Scheduling hint for large runs: the peak memory the corpus part adds per byte of the
    # packed per-document results it unpacks (measured on a large corpus).  Used until the
    # cache holds a measurement of this analysis; None: the runner's cautious default.
    corpus_memory: ClassVar[float | None] = None
    # Parts of each per-document result that analyze_corpus never reads, only passes on to
    # the report (evidence lists, say): dotted keys, "*" for every key of a dict or item of a
    # list (e.g. "quotes.*.content").  Where the
    # runner only packs and renders the corpus result (a forked step), it holds them as
    # JSON text, a fraction of their size as objects; reports are unchanged.
    unread_keys: ClassVar[Sequence[str]] = ()

    def analyze_document(self, doc: "Document", ctx: Context) -> dict[str, Any]:
        if self.has_batch_part():  # an analysis that only works in batches: a batch of one
            return self.analyze_documents([doc], ctx)[0]
        raise NotImplementedError

    def analyze_documents(self, docs: "Sequence[Document]", ctx: Context) -> list[dict[str, Any]]:
        """Per-document results for several documents at once, in order: for each, exactly
        what ``analyze_document`` returns for it.

        The runner hands documents in batches (up to ``runner.BATCH_DOCS``); override this
        where the work is cheaper done for many documents together (numpy over all of
        their tokens, say), and have ``analyze_document`` call it with one document.  A
        warning meant for one document names it: ``ctx.warn(message, doc=doc.id)``.
        """
        return [self.analyze_document(doc, ctx) for doc in docs]

    def analyze_corpus(self, corpus: "Corpus", ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def cache_token(cls, params: Params) -> str:
        """Extra input the per-document result depends on, beyond parameters and document.

        The result cache keys entries by analysis, version, parameters and document; an
        analysis that also reads something else (a file named by a parameter, say) returns
        a digest of it here so a changed file is never served stale results.  Default: "".
        """
        return ""

    @classmethod
    def compact_result(cls, result: dict[str, Any]) -> dict[str, Any]:
        """A per-document result just decoded (from the cache or a worker), made smaller to hold.

        The corpus step holds every document's result at once; an analysis whose results
        repeat values (empty categories, lexicon words) can share them again here.  Must
        return a dict that serialises to exactly the same JSON.  Default: unchanged.
        """
        return result

    @classmethod
    def has_document_part(cls) -> bool:
        return cls.analyze_document is not Analysis.analyze_document or cls.has_batch_part()

    @classmethod
    def has_batch_part(cls) -> bool:
        return cls.analyze_documents is not Analysis.analyze_documents

    @classmethod
    def has_corpus_part(cls) -> bool:
        return cls.analyze_corpus is not Analysis.analyze_corpus

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {
            "name": cls.name,
            "description": cls.description,
            "version": cls.version,
            "parameters": [p.describe() for p in cls.parameters],
        }
