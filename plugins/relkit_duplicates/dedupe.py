"""``--dedupe``: the corpus other analyses see, with duplicates set aside.

Each duplicate cluster keeps only its representative; inside a document, every later
copy of a repeated passage is dropped from the kept regions (the text itself is never
changed, so offsets stay original).  What was set aside is returned for the manifest.
"""

from __future__ import annotations

from typing import Any, Sequence

from relkit import Corpus, Document
from relkit.cleaning import CleaningStep

__all__ = ["deduplicate", "subtract_regions"]


def subtract_regions(regions: Sequence[tuple[int, int]], cuts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``regions`` minus the character spans ``cuts`` (both in original offsets)."""
    out: list[tuple[int, int]] = []
    cuts = sorted(cuts)
    for s, e in regions:
        pos = s
        for cs, ce in cuts:
            if ce <= pos or cs >= e:
                continue
            if cs > pos:
                out.append((pos, cs))
            pos = max(pos, ce)
        if pos < e:
            out.append((pos, e))
    return out


def deduplicate(corpus: Corpus, result: dict[str, Any]) -> tuple[Corpus, list[dict[str, Any]]]:
    set_aside: list[dict[str, Any]] = []
    drop: dict[str, dict[str, Any]] = {}
    for c in result.get("clusters", []):
        for m in c["members"]:
            if m != c["representative"]:
                drop[m] = {
                    "kind": "exact_duplicate" if c["exact"] else "near_duplicate",
                    "doc": m,
                    "cluster": c["id"],
                    "representative": c["representative"],
                }
    repeats = {d["id"]: d.get("repeats", []) for d in result.get("documents", [])}
    kept: list[Document] = []
    for doc in corpus:
        if doc.id in drop:
            set_aside.append(drop[doc.id])
            continue
        cuts = []
        for r in repeats.get(doc.id, []):
            for copy in r["copies"][1:]:
                cuts.append((copy["start"], copy["end"]))
        if not cuts:
            kept.append(doc)
            continue
        steps = list(doc.cleaning)
        for s, e in sorted(cuts):
            steps.append(CleaningStep("duplicates.repeat", s, e, doc.text[s:e], True))
            set_aside.append({"kind": "repeated_passage", "doc": doc.id, "start": s, "end": e, "text": doc.text[s:e]})
        kept.append(Document(doc.id, doc.text, metadata=doc.metadata, path=doc.path,
                             regions=subtract_regions(doc.regions, cuts), cleaning=steps))
    return corpus.subset(kept), set_aside
