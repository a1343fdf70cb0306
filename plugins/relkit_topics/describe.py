"""Turning a fitted model into report entries: labels, terms, documents, groups."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from relkit.grouping import group_documents, parse_group_by

from .terms import BigramModel, runs_of

__all__ = ["label", "unique_labels", "best_sentence", "representative_documents", "document_entry", "prevalence_by_group"]


def label(terms: Sequence[str], n: int = 3) -> str:
    """Best bigram among the top terms (the heaviest one), completed with the top
    unigrams it does not already contain, ``n`` parts in all, joined by " / "."""
    parts: list[str] = []
    bigram = next((t for t in terms[:10] if " " in t), None)
    if bigram:
        parts.append(bigram)
    used = set(bigram.split()) if bigram else set()
    for t in terms:
        if len(parts) >= n:
            break
        if t == bigram or set(t.split()) & used:
            continue
        parts.append(t)
        used.update(t.split())
    return " / ".join(parts)


def unique_labels(term_lists: Sequence[Sequence[str]]) -> list[str]:
    """Labels, lengthened where two topics would otherwise share one."""
    n = 3
    labels = [label(t, n) for t in term_lists]
    while len(set(labels)) < len(labels) and n < 10:
        n += 1
        dup = {l for l in labels if labels.count(l) > 1}
        labels = [label(t, n) if l in dup else l for t, l in zip(term_lists, labels)]
    return labels


def best_sentence(sentences: Sequence[Sequence[Any]], bigrams: BigramModel, weights: dict[str, float]) -> tuple[int, int] | None:
    """The sentence whose terms carry the most of the topic's weight, per square root of
    its term count so long sentences do not win by length alone (earliest on ties)."""
    best, best_score = None, 0.0
    for sent in sentences:
        score, n = 0.0, 0
        for run in runs_of(sent[2]):
            for t in bigrams.merge(run):
                score += weights.get(t, 0.0)
                n += 1
        score = score / n ** 0.5 if n else 0.0
        if score > best_score + 1e-15:
            best, best_score = (int(sent[0]), int(sent[1])), score
    return best


def representative_documents(
    topic: int,
    doc_topic: np.ndarray,
    lengths: np.ndarray,
    ids: Sequence[str],
    n: int,
) -> list[int]:
    """Row indices of the documents where ``topic`` weighs most (ties: longer, then id)."""
    col = doc_topic[:, topic]
    cand = [i for i in np.nonzero(col > 0)[0]]
    cand.sort(key=lambda i: (-round(float(col[i]), 9), -int(lengths[i]), ids[i]))
    return [int(i) for i in cand[:n]]


def document_entry(doc_id: str, row: np.ndarray, n_terms: int, top: int, min_weight: float = 0.01) -> dict[str, Any]:
    """One document's topic mixture: top entries and the dominant topic."""
    if n_terms == 0 or row.sum() <= 0:
        return {"id": doc_id, "terms": int(n_terms), "dominant_topic": None, "dominant_weight": None, "topics": []}
    order = sorted(range(len(row)), key=lambda t: (-round(float(row[t]), 9), t))
    entries = [{"topic": t, "weight": float(row[t])} for t in order[:top] if row[t] >= min_weight]
    return {
        "id": doc_id,
        "terms": int(n_terms),
        "dominant_topic": order[0],
        "dominant_weight": float(row[order[0]]),
        "topics": entries,
    }


def prevalence_by_group(docs: Sequence[Any], doc_topic: np.ndarray, lengths: np.ndarray, group_by: str) -> dict[str, Any]:
    """Per group: documents, mean topic shares over its documents with terms, and how
    many documents each topic dominates."""
    field, unit = parse_group_by(group_by)  # type: ignore[misc]
    row_of = {id(d): i for i, d in enumerate(docs)}
    k = doc_topic.shape[1]
    groups = []
    for key, members in group_documents(docs, group_by).items():
        rows = [row_of[id(d)] for d in members]
        modelled = [r for r in rows if lengths[r] > 0]
        shares = doc_topic[modelled].mean(axis=0) if modelled else np.zeros(k)
        dominant = [0] * k
        for r in modelled:
            dominant[int(np.argmax(doc_topic[r]))] += 1
        groups.append({
            "group": key,
            "documents": len(rows),
            "documents_with_terms": len(modelled),
            "topics": [
                {"topic": t, "prevalence": float(shares[t]), "dominant_documents": dominant[t]} for t in range(k)
            ],
        })
    return {"field": field, "unit": unit, "groups": groups}
