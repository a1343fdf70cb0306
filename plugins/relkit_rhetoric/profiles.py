"""The corpus part: totals, the speaker table with per-speaker profiles, group breakdowns."""

from __future__ import annotations

import heapq
from operator import itemgetter
from typing import Any, Sequence

from relkit.grouping import group_key, parse_group_by
from relkit.stats import distribution

from .stance import METADISCOURSE, MODALS

__all__ = ["summarise_corpus", "speaker_table", "top_speakers", "measures"]


def _rate(count: float, words: float) -> float:
    return 1000.0 * count / words if words else 0.0


def measures(docs: Sequence[dict[str, Any]], frame_categories: Sequence[str]) -> dict[str, Any]:
    """Every measure summed over ``docs`` (per-document result dicts)."""
    words = sum(d.get("words", 0) for d in docs)
    sentences = sum(d.get("sentences", 0) for d in docs)
    quotes = {"direct": 0, "mixed": 0, "indirect": 0}
    quoted_words = 0
    unattributed = 0
    for d in docs:
        for q in d.get("quotes", []):
            quotes[q["type"]] += 1
            if q["type"] != "indirect":
                quoted_words += q["words"]
            if not (q.get("speaker") or {}).get("resolved") and not (q.get("speaker") or {}).get("members"):
                unattributed += 1
    # one pass over the documents; float sums keep sum() over the values in document order
    stance = dict.fromkeys(METADISCOURSE, 0)
    modals = dict.fromkeys(MODALS, 0)
    frames = dict.fromkeys(frame_categories, 0)
    persuasion: dict[str, int] = {}
    figures: dict[str, int] = {}
    tones: list[float] = []
    n_s = 0
    pos_terms: list[float] = []
    neg_terms: list[float] = []
    mean_terms: list[float] = []
    for d in docs:
        st = d["stance"]
        for c in METADISCOURSE:
            stance[c] += st[c]["count"]
        md = d["modals"]
        for c in MODALS:
            modals[c] += md[c]["count"]
        fr = d["frames"]["frames"]
        for c in frame_categories:
            f = fr.get(c)
            if f:
                frames[c] += f.get("count", 0)
        for k, v in d["persuasion"]["counts"].items():
            persuasion[k] = persuasion.get(k, 0) + v
        for k, v in d["figure_counts"].items():
            figures[k] = figures.get(k, 0) + v
        tone = d["tone"]
        if tone["mean"] is not None:
            tones.append(tone["mean"])
        ns = tone["sentences"]
        n_s += ns
        if ns:
            pos_terms.append(tone["positive_share"] * ns)
            neg_terms.append(tone["negative_share"] * ns)
            mean_terms.append(tone["mean"] * ns)
    frame_total = sum(frames.values())
    pos = sum(pos_terms)
    neg = sum(neg_terms)
    sent_mean = sum(mean_terms)
    return {
        "documents": len(docs),
        "words": words,
        "sentences": sentences,
        "quotes": dict(quotes, quoted_words=quoted_words, quoted_word_share=(quoted_words / words) if words else 0.0,
                       without_speaker=unattributed),
        "stance": {c: {"count": n, "per_1000_words": _rate(n, words)} for c, n in stance.items()},
        "modals": {c: {"count": n, "per_1000_words": _rate(n, words)} for c, n in modals.items()},
        "tone": {
            "mean_of_documents": (sum(tones) / len(tones)) if tones else None,
            "mean_of_sentences": (sent_mean / n_s) if n_s else None,
            "positive_share": (pos / n_s) if n_s else None,
            "negative_share": (neg / n_s) if n_s else None,
        },
        "frames": {c: {"count": n, "per_1000_words": _rate(n, words), "share": (n / frame_total) if frame_total else 0.0}
                   for c, n in frames.items()},
        "persuasion": dict(sorted(persuasion.items(), key=lambda kv: (-kv[1], kv[0]))),
        "figures": dict(sorted(figures.items())),
    }


def _names(sp: dict[str, Any]) -> list[str]:
    """Who a quote's speaker counts for: its members, the person resolved, or a name as written."""
    names = list(sp.get("members") or []) or ([sp["resolved"]] if sp.get("resolved") else [])
    if not names and sp.get("kind") == "name" and sp.get("as_written"):
        names = [sp["as_written"]["text"]]
    return names


def top_speakers(docs: Sequence[dict[str, Any]], n: int = 10) -> list[dict[str, Any]]:
    """The first ``n`` rows of ``speaker_table(docs)`` cut to speaker, quotes and words quoted.

    A group lists only its top speakers: counting two numbers per speaker finds them
    without building every row's documents, roles, examples and profile (on a large
    corpus one group can hold most of the speaker table a second time).
    """
    counts: dict[str, list[int]] = {}
    for d in docs:
        for q in d.get("quotes", []):
            names = _names(q.get("speaker") or {})
            words = q["words"] if q["type"] != "indirect" else 0
            for name in names:
                c = counts.get(name)
                if c is None:
                    c = counts[name] = [0, 0]
                c[0] += 1
                c[1] += words
    # the table's own order; the name breaks every tie, so the first n are the same rows
    best = heapq.nsmallest(n, counts.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    return [{"speaker": name, "quotes": c[0], "words_quoted": c[1]} for name, c in best]


def speaker_table(docs: Sequence[dict[str, Any]], frame_categories: Sequence[str], examples: int = 2) -> list[dict[str, Any]]:
    """One row per speaker (resolved person, or a name as written) across the corpus."""
    rows: dict[str, dict[str, Any]] = {}
    for d in docs:
        for q in d.get("quotes", []):
            sp = q.get("speaker") or {}
            for name in _names(sp):
                row = rows.get(name)
                if row is None:
                    row = rows[name] = {
                        "speaker": name, "quotes": 0, "direct": 0, "mixed": 0, "indirect": 0, "words_quoted": 0,
                        "documents": [], "roles": [], "as_written": [],
                        "_tone": [], "_hedges": 0, "_boosters": 0, "_frames": {}, "_words": 0, "examples": [],
                        "_docs": set(),
                    }
                row["quotes"] += 1
                row[q["type"]] += 1
                if q["type"] != "indirect":
                    row["words_quoted"] += q["words"]
                row["_words"] += q["words"]
                if d["id"] not in row["_docs"]:  # a set: a speaker can be in thousands of documents
                    row["_docs"].add(d["id"])
                    row["documents"].append(d["id"])
                for role in sp.get("roles", []):
                    if role["text"] not in row["roles"]:
                        row["roles"].append(role["text"])
                aw = sp.get("as_written")
                if aw and aw["text"] not in row["as_written"]:
                    row["as_written"].append(aw["text"])
                prof = q["profile"]
                if prof["tone"] is not None:
                    row["_tone"].append(prof["tone"])
                row["_hedges"] += prof["hedges"]
                row["_boosters"] += prof["boosters"]
                for k, v in prof["frames"].items():
                    row["_frames"][k] = row["_frames"].get(k, 0) + v
                if len(row["examples"]) < examples and q["quoted"]:
                    qq = q["quoted"][0]
                    row["examples"].append({"doc": d["id"], "start": qq["start"], "end": qq["end"], "text": qq["text"]})
    out = []
    for row in rows.values():
        tone = row.pop("_tone")
        del row["_docs"]
        hedges, boosters, frames, w = row.pop("_hedges"), row.pop("_boosters"), row.pop("_frames"), row.pop("_words")
        total_frames = sum(frames.values())
        row["document_count"] = len(row["documents"])
        row["profile"] = {
            "tone": (sum(tone) / len(tone)) if tone else None,
            "hedges": hedges,
            "boosters": boosters,
            "hedges_per_1000_words": _rate(hedges, w),
            "boosters_per_1000_words": _rate(boosters, w),
            "frames": {c: frames[c] for c in frame_categories if frames.get(c)},
            "dominant_frame": max(frames, key=lambda c: (frames[c], c)) if total_frames else None,
        }
        out.append(row)
    out.sort(key=lambda r: (-r["quotes"], -r["words_quoted"], r["speaker"]))
    return out


def summarise_corpus(corpus: Any, documents: Sequence[dict[str, Any]], group_by: str | None,
                     frame_categories: Sequence[str], frame_sources: dict[str, str], evidence: int) -> dict[str, Any]:
    docs = list(documents)
    out: dict[str, Any] = {"summary": measures(docs, frame_categories)}
    out["distributions"] = {
        "tone_mean": distribution({d["id"]: d["tone"]["mean"] for d in docs}),
        "hedges_per_1000_words": distribution({d["id"]: d["stance"]["hedges"]["per_1000_words"] for d in docs if d["words"]}),
        "boosters_per_1000_words": distribution({d["id"]: d["stance"]["boosters"]["per_1000_words"] for d in docs if d["words"]}),
        "quotes": distribution({d["id"]: float(len(d["quotes"])) for d in docs}),
    }
    # the best few of every document's evidence (nsmallest is sorted(...)[:n], ties in
    # document order), from a generator: only those few are held, and copied with their id
    key = itemgetter(0, 1, 2)
    pos = heapq.nsmallest(evidence, ((-s["compound"], d["id"], s["start"], s) for d in docs for s in d["tone"]["most_positive"]), key=key)
    neg = heapq.nsmallest(evidence, ((s["compound"], d["id"], s["start"], s) for d in docs for s in d["tone"]["most_negative"]), key=key)
    out["tone_evidence"] = {
        "most_positive": [dict(s, doc=doc) for _, doc, _, s in pos],
        "most_negative": [dict(s, doc=doc) for _, doc, _, s in neg],
    }
    out["speakers"] = speaker_table(docs, frame_categories)
    out["lexicons"] = {"frames": dict(frame_sources)}
    if group_by:
        field, unit = parse_group_by(group_by)  # type: ignore[misc]
        meta = {d.id: d.metadata for d in corpus}
        groups: dict[str, list[dict[str, Any]]] = {}
        for d in docs:
            groups.setdefault(group_key(meta.get(d["id"], {}), field, unit), []).append(d)
        out["groups"] = {
            "by": group_by,
            "groups": [
                dict(group=k, **measures(v, frame_categories),
                     speakers=top_speakers(v))
                for k, v in sorted(groups.items())
            ],
        }
    return out
