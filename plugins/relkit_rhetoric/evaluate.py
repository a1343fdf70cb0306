"""Scoring quote extraction against a hand-annotated gold set (tests/data/rhetoric_gold.json).

A predicted quote is a quoted span of a ``direct`` or ``mixed`` entry in a document's
``quotes``; it matches a gold quote of kind ``speech`` exactly (same start and end) or by
overlap (shared characters over the longer span above 0.3, the GenderGapTracker
criterion).  The speaker is right when the resolved person is the gold one (or, when the
gold has no resolved person, the speaker as written is the gold one).  Indirect speech is
matched by overlap above 0.5.
"""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["score"]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


def _speaker_ok(pred: dict[str, Any] | None, gold: dict[str, Any]) -> bool:
    pred = pred or {}
    if gold.get("resolved"):
        return pred.get("resolved") == gold["resolved"]
    aw = pred.get("as_written") or {}
    return not pred.get("resolved") and aw.get("text") == gold.get("speaker")


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": (2 * p * r / (p + r)) if p + r else 0.0}


def score(documents: Iterable[dict[str, Any]], gold: dict[str, Any]) -> dict[str, Any]:
    """Precision/recall of direct quotes (exact and overlap), speakers, and indirect speech."""
    by_id = {d["id"]: d for d in documents}
    doc_ids = set(gold["documents"].values())
    preds = []  # (doc, (start, end), entry)
    ind_preds = []
    for doc_id in sorted(doc_ids):
        d = by_id.get(doc_id) or {"quotes": []}
        for q in d["quotes"]:
            if q["type"] in ("direct", "mixed"):
                for qq in q["quoted"]:
                    preds.append((doc_id, (qq["start"], qq["end"]), q))
            else:
                ind_preds.append((doc_id, (q["content"]["start"], q["content"]["end"]), q))
    golds = [g for g in gold["quotes"] if g["kind"] == "speech"]
    out: dict[str, Any] = {"gold_quotes": len(golds), "predicted_quotes": len(preds)}
    for label, test in (("exact", lambda a, b: a == b), ("overlap", lambda a, b: _overlap(a, b) > 0.3)):
        tp_p = sum(1 for doc, span, _ in preds if any(g["doc"] == doc and test(span, (g["start"], g["end"])) for g in golds))
        tp_g = sum(1 for g in golds if any(doc == g["doc"] and test(span, (g["start"], g["end"])) for doc, span, _ in preds))
        out[f"quotes_{label}"] = _prf(tp_p, len(preds), tp_g, len(golds))
    # speaker accuracy over gold quotes found (overlap), and end to end (span and speaker right)
    found = right = 0
    for g in golds:
        hits = [q for doc, span, q in preds if doc == g["doc"] and _overlap(span, (g["start"], g["end"])) > 0.3]
        if hits:
            found += 1
            right += _speaker_ok(hits[0]["speaker"], g)
    out["speaker_accuracy"] = right / found if found else 0.0
    out["quotes_with_speaker"] = _prf(right, len(preds), right, len(golds))
    ind_gold = gold.get("indirect", [])
    tp_p = sum(1 for doc, span, _ in ind_preds if any(g["doc"] == doc and _overlap(span, (g["start"], g["end"])) > 0.5 for g in ind_gold))
    hits_g = [g for g in ind_gold if any(doc == g["doc"] and _overlap(span, (g["start"], g["end"])) > 0.5 and _speaker_ok(q["speaker"], g)
                                           for doc, span, q in ind_preds)]
    tp_g = sum(1 for g in ind_gold if any(doc == g["doc"] and _overlap(span, (g["start"], g["end"])) > 0.5 for doc, span, _ in ind_preds))
    out["gold_indirect"] = len(ind_gold)
    out["predicted_indirect"] = len(ind_preds)
    out["indirect"] = _prf(tp_p, len(ind_preds), tp_g, len(ind_gold))
    out["indirect_speaker_right"] = len(hits_g)
    mentions = [g for g in gold["quotes"] if g["kind"] != "speech"]
    pm = {(doc_id, m["start"], m["end"]) for doc_id in doc_ids for m in (by_id.get(doc_id) or {}).get("quoted_mentions", [])}
    out["mentions_found"] = sum(1 for g in mentions if (g["doc"], g["start"], g["end"]) in pm)
    out["gold_mentions"] = len(mentions)
    return out
