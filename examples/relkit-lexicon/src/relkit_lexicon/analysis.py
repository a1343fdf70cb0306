"""The ``lexicon`` analysis: counts and rates of a user's lexicon categories, with evidence."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from relkit import Analysis, Parameter
from relkit.grouping import GROUP_BY_HELP, group_documents
from relkit.stats import distribution

from .lexicon import file_digest, load_lexicon
from .matching import TermIndex

__all__ = ["LexiconAnalysis", "PER_WORDS"]

PER_WORDS = 1000  # rates are per this many words (word and number tokens)


def _rate(count: int, words: int) -> float | None:
    return count * PER_WORDS / words if words else None


class LexiconAnalysis(Analysis):
    name = "lexicon"
    description = (
        "Counts the terms of your lexicon (JSON {category: [terms]} or LIWC-style .dic; '*' wildcards, "
        "multi-word terms) per document and corpus, as counts and rates per 1,000 words, with each match's offsets."
    )
    version = "1"
    parameters = (
        Parameter("lexicon", "str", None, "path to the lexicon: a JSON object of category to list of terms, "
                  "or a LIWC-style .dic file; a term ending in * matches as a prefix", nullable=True),
        Parameter("categories", "list", [], "only these categories (comma-separated; default: all)"),
        Parameter("max_evidence", "int", 100, "matches listed with offsets per document (counts always cover every match)",
                  minimum=0),
        Parameter("top_terms", "int", 20, "most frequent terms listed per category for the corpus", minimum=0),
        Parameter("group_by", "str", None, GROUP_BY_HELP, nullable=True),
    )

    @classmethod
    def cache_token(cls, params) -> str:
        # Cached per-document results depend on the lexicon file's content, not only its path.
        path = params.get("lexicon")
        if not path:
            return ""
        try:
            return file_digest(path)
        except OSError:
            return ""

    def _setup(self, params):
        lexicon = load_lexicon(os.fspath(params.lexicon))
        unknown = [c for c in params.categories if c not in lexicon.categories]
        if unknown:
            raise ValueError(f"categories not in the lexicon: {', '.join(unknown)} (it has: {', '.join(lexicon.categories)})")
        cats = [c for c in lexicon.categories if not params.categories or c in params.categories]
        return lexicon, cats, TermIndex(lexicon, cats)

    def analyze_document(self, doc, ctx):
        words = len(doc.words)
        if not ctx.params.lexicon:
            return {"words": words}
        lexicon, cats, index = self._setup(ctx.params)
        matches = index.find(doc.tokens)
        counts = Counter(m.category for m in matches)
        terms: dict[str, Counter] = {c: Counter() for c in cats}
        spans: dict[tuple[int, int], dict[str, Any]] = {}
        for m in matches:
            terms[m.category][m.term.raw] += 1
            key = (m.first, m.last)
            entry = spans.get(key)
            if entry is None:
                entry = spans[key] = doc.span(doc.tokens[m.first].start, doc.tokens[m.last - 1].end, terms=[], categories=[])
            if m.term.raw not in entry["terms"]:
                entry["terms"].append(m.term.raw)
            entry["categories"].append(m.category)
        evidence = sorted(spans.values(), key=lambda s: (s["start"], s["end"]))
        for e in evidence:
            e["terms"].sort()
            e["categories"] = [c for c in cats if c in e["categories"]]
        return {
            "words": words,
            "counts": {c: counts.get(c, 0) for c in cats},
            "rates": {c: _rate(counts.get(c, 0), words) for c in cats},
            "matches_total": len(evidence),
            "matches": evidence[: ctx.params.max_evidence],
            "_terms": {c: dict(terms[c]) for c in cats if terms[c]},
        }

    def analyze_corpus(self, corpus, ctx, documents):
        total_words = sum(d["words"] for d in documents)
        if not ctx.params.lexicon:
            ctx.warn("no lexicon given, nothing counted: set -p lexicon.lexicon=PATH "
                     "(a JSON {category: [terms]} or a LIWC-style .dic file)")
            return {"lexicon": None, "per_words": PER_WORDS, "totals": {"words": total_words, "categories": {}}}
        lexicon, cats, _ = self._setup(ctx.params)
        for s in lexicon.skipped:
            ctx.warn(f"lexicon entry skipped: {s}")
        if not any(d["words"] for d in documents):
            ctx.warn("the corpus has no words: every rate is null")
        categories: dict[str, Any] = {}
        for c in cats:
            count = sum(d["counts"][c] for d in documents)
            term_counts: Counter = Counter()
            term_docs: Counter = Counter()
            for d in documents:
                for term, n in d["_terms"].get(c, {}).items():
                    term_counts[term] += n
                    term_docs[term] += 1
            top = sorted(term_counts.items(), key=lambda kv: (-kv[1], kv[0]))[: ctx.params.top_terms]
            categories[c] = {
                "count": count,
                "rate": _rate(count, total_words),
                "documents": sum(1 for d in documents if d["counts"][c]),
                "rate_distribution": distribution({d["id"]: d["rates"][c] for d in documents}),
                "top_terms": [{"term": t, "count": n, "documents": term_docs[t]} for t, n in top],
            }
        result: dict[str, Any] = {
            "lexicon": lexicon.describe(),
            "per_words": PER_WORDS,
            "totals": {"words": total_words, "categories": categories},
        }
        if ctx.params.group_by:
            by_id = {d["id"]: d for d in documents}
            groups = {}
            for key, docs in group_documents(corpus.documents, ctx.params.group_by).items():
                rows = [by_id[doc.id] for doc in docs if doc.id in by_id]
                words = sum(r["words"] for r in rows)
                counts = {c: sum(r["counts"][c] for r in rows) for c in cats}
                groups[key] = {
                    "documents": [r["id"] for r in rows],
                    "words": words,
                    "counts": counts,
                    "rates": {c: _rate(counts[c], words) for c in cats},
                }
            result["groups"] = groups
        return result
