"""Shared by eval_topics.py and bench_topics.py: load texts as relkit documents, extract
the topics analysis's term state, and run the peer models on the same vocabulary."""

from __future__ import annotations

import json
import time
from typing import Any, Sequence

import numpy as np

from relkit import Document
from relkit_topics.terms import document_sentences


def read_jsonl(path: str, limit: int | None = None, text_field: str = "text") -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            out.append(json.loads(line))
            if limit is not None and len(out) >= limit:
                break
    return out


def term_states(records: Sequence[dict[str, Any]], text_field: str = "text", keep_documents: bool = False):
    """Each record's per-document topics state, exactly as the analysis computes it
    (relkit's cleaning, segmentation and tokens).  With ``keep_documents``, also the
    documents (their cached tokens dropped: the corpus part needs ids, text and offsets)."""
    states, docs = [], []
    for i, rec in enumerate(records):
        meta = {k: v for k, v in rec.items() if k not in (text_field, "id")}
        doc = Document(str(rec.get("id", i)), rec.get(text_field) or "", metadata=meta)
        states.append(document_sentences(doc))
        if keep_documents:
            for cached in ("tokens", "sentences"):
                doc.__dict__.pop(cached, None)
            docs.append(doc)
    return (states, docs) if keep_documents else states


def corpus_part(docs: Sequence[Document], states: Sequence[Any], params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The topics analysis's whole corpus part (model, labels, documents, evidence), as
    ``relkit analyze`` runs it after the per-document part, with default parameters
    overlaid by ``params``."""
    from relkit import Context, Corpus
    from relkit.params import Params
    from relkit_topics import TopicsAnalysis

    values = {p.name: p.default for p in TopicsAnalysis.parameters}
    values.update(params or {})
    ctx = Context(Params(values), analysis="topics")
    return TopicsAnalysis().analyze_corpus(Corpus(list(docs)), ctx, [{"_sentences": s} for s in states])


def fit_gensim(texts: list[list[str]], k: int, seed: int, passes: int) -> tuple[list[list[str]], np.ndarray, float]:
    """gensim LdaModel (alpha/eta learnt) on the same term lists: top 10 terms, doc-topic, seconds."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    t0 = time.perf_counter()
    dictionary = Dictionary(texts)
    bows = [dictionary.doc2bow(t) for t in texts]
    model = LdaModel(
        bows, id2word=dictionary, num_topics=k, passes=passes, iterations=100, chunksize=2000,
        alpha="auto", eta="auto", random_state=seed, eval_every=None,
    )
    theta = np.zeros((len(texts), k))
    for d, bow in enumerate(bows):
        if bow:
            for t, p in model.get_document_topics(bow, minimum_probability=0.0):
                theta[d, t] = p
    secs = time.perf_counter() - t0
    tops = [[w for w, _ in model.show_topic(t, topn=10)] for t in range(k)]
    return tops, theta, secs


def fit_tomotopy(texts: list[list[str]], k: int, seed: int, iterations: int, workers: int = 0) -> tuple[list[list[str]], np.ndarray, float]:
    """tomotopy LDAModel (collapsed Gibbs) on the same term lists."""
    import tomotopy as tp

    t0 = time.perf_counter()
    model = tp.LDAModel(k=k, seed=seed, min_cf=0, rm_top=0)
    rows = []
    for d, t in enumerate(texts):
        if t:
            model.add_doc(t)
            rows.append(d)
    model.train(iterations, workers=workers)
    theta = np.zeros((len(texts), k))
    for row, doc in zip(rows, model.docs):
        theta[row] = doc.get_topic_dist()
    secs = time.perf_counter() - t0
    tops = [[w for w, _ in model.get_topic_words(t, top_n=10)] for t in range(k)]
    return tops, theta, secs
