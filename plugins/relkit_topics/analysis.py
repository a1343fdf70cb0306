"""The ``topics`` analysis: parameters, per-document term state, corpus report."""

from __future__ import annotations

from typing import Any

import numpy as np

from relkit import Analysis, Context, Parameter
from relkit.grouping import GROUP_BY_HELP, parse_group_by

from . import pipeline
from .describe import best_sentence, document_entry, prevalence_by_group, representative_documents, unique_labels
from .metrics import exclusivity
from .models import METHODS
from .terms import document_sentences

__all__ = ["TopicsAnalysis"]


class TopicsAnalysis(Analysis):
    name = "topics"
    description = (
        "Topics (NMF or LDA) with NPMI coherence, automatic choice of k, exclusivity, stability, "
        "representative documents and prevalence by group"
    )
    version = "2"
    corpus_memory = 35.0  # peak bytes of the corpus step per packed byte (52,472 news texts; runner scheduling hint)
    parameters = (
        Parameter("method", "str", "nmf", "topic model: nmf (on TF-IDF, deterministic nndsvd start) or lda (batch variational, seeded)", choices=METHODS),
        Parameter("k", "int", "auto", "number of topics, or auto: fit k_min..k_max (bounded by corpus size) and keep the best by NPMI x diversity x stability", minimum=1, maximum=500, special=("auto",)),
        Parameter("k_min", "int", 2, "smallest k tried by k=auto", minimum=1, maximum=500),
        Parameter("k_max", "int", 30, "largest k tried by k=auto (also capped by corpus size: half the documents, 2*sqrt(documents), half the vocabulary)", minimum=1, maximum=500),
        Parameter("top_terms", "int", 10, "terms listed per topic (coherence always uses the top 10)", minimum=1, maximum=100),
        Parameter("min_df", "int", "auto", "a term must occur in at least this many documents (auto: 2, or 0.1% of documents on large corpora)", minimum=1, special=("auto",)),
        Parameter("max_df", "float", 0.5, "drop terms in more than this share of documents (corpora of 20+ documents; 1 keeps all)", minimum=0.0, maximum=1.0),
        Parameter("max_terms", "int", 20000, "vocabulary cap, keeping the terms in most documents (none: no cap)", minimum=2, nullable=True),
        Parameter("bigrams", "bool", True, "keep collocations (adjacent content words in one sentence) as single terms"),
        Parameter("bigram_min_count", "int", 3, "a bigram must occur at least this often (and in min_df documents)", minimum=1),
        Parameter("bigram_threshold", "float", 0.4, "minimum collocation strength (normalised PMI, -1..1) for a bigram to become a term", minimum=-1.0, maximum=1.0),
        Parameter("doc_topics", "int", 3, "topic entries listed per document (weight >= 0.01)", minimum=1, maximum=100),
        Parameter("representative_docs", "int", 3, "most representative documents listed per topic", minimum=0, maximum=100),
        Parameter("stability_runs", "int", 3, "refits on 80% document samples with other seeds, to measure stability (0: off)", minimum=0, maximum=20),
        Parameter("sweep_sample", "int", 5000, "k=auto on larger corpora: choose k on a seeded sample of this many documents, then fit the chosen k on all (none: sweep on all)", minimum=50, nullable=True),
        Parameter("max_iter", "int", None, "iteration limit (default: 200 for nmf, 30 for lda)", minimum=1, nullable=True),
        Parameter("group_by", "str", None, GROUP_BY_HELP, nullable=True),
        Parameter("random_state", "int", 0, "seed for LDA, document samples and refits"),
    )

    def analyze_document(self, doc, ctx: Context) -> dict[str, Any]:
        # Private state: each sentence's offsets and its content terms ("|" where a
        # stopword, number or punctuation was dropped). The corpus part needs nothing else.
        return {"_sentences": document_sentences(doc)}

    def analyze_corpus(self, corpus, ctx: Context, documents) -> dict[str, Any]:
        p = ctx.params
        if p.group_by:
            try:
                parse_group_by(p.group_by)
            except ValueError as e:
                raise ValueError(f"group_by: {e}") from None
        docs = list(corpus)
        states = [(d or {}).get("_sentences", []) for d in (documents or [{} for _ in docs])]
        settings = pipeline.Settings.from_params(p)
        mr = pipeline.run(states, settings, warn=ctx.warn)
        ids = [d.id for d in docs]
        vocab = mr.vocab
        lengths = vocab.doc_lengths
        model: dict[str, Any] = {
            "method": settings.method,
            "k": mr.k,
            "k_selection": self._selection(mr),
            "coherence": mr.mean_coherence,
            "coherence_measure": "NPMI of each topic's top 10 terms, document co-occurrence in this corpus (gensim c_npmi with whole-document windows)",
            "diversity": mr.diversity,
            "stability": self._stability(mr),
            "vocabulary": vocab.describe(),
            "converged": mr.fit.converged if mr.fit else None,
            "iterations": mr.fit.n_iter if mr.fit else None,
        }
        if mr.fit is None:
            result: dict[str, Any] = {
                "model": model,
                "topics": [],
                "documents": [document_entry(i, np.zeros(0), int(n), p.doc_topics) for i, n in zip(ids, lengths)],
            }
            if p.group_by:
                result["prevalence_by_group"] = prevalence_by_group(docs, np.zeros((len(docs), 0)), lengths, p.group_by)
            return result

        fit = mr.fit
        n_show = max(p.top_terms, 10)
        term_lists = mr.top_terms(n_show)
        labels = unique_labels(term_lists)
        excl = exclusivity(fit.topic_term)
        frex = pipeline.frex_terms(fit, vocab, p.top_terms)
        nonempty = lengths > 0
        prevalence = fit.doc_topic[nonempty].mean(axis=0)
        dominant = np.argmax(fit.doc_topic, axis=1)
        topics = []
        for t in range(fit.k):
            idx = [vocab.index[w] for w in term_lists[t][: p.top_terms]]
            weights = {vocab.terms[i]: float(fit.topic_term[t, i]) for i in np.nonzero(fit.topic_term[t])[0]}
            reps = []
            for r in representative_documents(t, fit.doc_topic, lengths, ids, p.representative_docs):
                entry: dict[str, Any] = {"doc": ids[r], "weight": float(fit.doc_topic[r, t])}
                span = best_sentence(states[r], vocab.bigrams, weights)
                if span is not None:
                    entry["evidence"] = docs[r].span(span[0], span[1], doc=ids[r])
                reps.append(entry)
            topics.append({
                "id": t,
                "label": labels[t],
                "terms": [
                    {"term": vocab.terms[i], "weight": float(fit.topic_term[t, i]), "exclusivity": float(excl[t, i])}
                    for i in idx
                ],
                "frex_terms": frex[t],
                "prevalence": float(prevalence[t]),
                "dominant_documents": int(((dominant == t) & nonempty).sum()),
                "coherence": mr.coherence[t],
                "exclusivity": mr.exclusivity[t],
                "stability": mr.stability[t] if mr.stability is not None else None,
                "representative_documents": reps,
            })
        result = {
            "model": model,
            "topics": topics,
            "documents": [document_entry(i, fit.doc_topic[r], int(lengths[r]), p.doc_topics) for r, i in enumerate(ids)],
        }
        if p.group_by:
            result["prevalence_by_group"] = prevalence_by_group(docs, fit.doc_topic, lengths, p.group_by)
        return result

    @staticmethod
    def _selection(mr: pipeline.ModelRun) -> dict[str, Any]:
        sel: dict[str, Any] = {"mode": mr.k_mode, "candidates": mr.candidates}
        if mr.k_mode == "auto":
            sel["criterion"] = mr.criterion
            sel["sweep_documents"] = mr.sweep_documents
            sel["sweep"] = [
                {"k": pt.k, "coherence": pt.coherence, "diversity": pt.diversity, "quality": pt.quality,
                 "stability": pt.stability, "score": pt.score, "chosen": pt.k == mr.k}
                for pt in mr.points
            ]
        return sel

    @staticmethod
    def _stability(mr: pipeline.ModelRun) -> dict[str, Any] | None:
        if mr.stability is None:
            return None
        return {
            "mean": float(np.mean(mr.stability)),
            "runs": mr.stability_runs,
            "measure": (
                f"mean Jaccard similarity of matched topics' top 10 terms (Hungarian matching) between the model and "
                f"{len(mr.stability_runs)} refits on {int(pipeline.STABILITY_SAMPLE * 100)}% document samples with other seeds"
            ),
        }
