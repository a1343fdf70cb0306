"""The ``duplicates`` analysis: exact and near-duplicates, clusters, aligned passages,
passages repeated inside a document, and ``--dedupe``."""

from __future__ import annotations

from typing import Any

import numpy as np

from relkit import Analysis, Context, Corpus, Document, Parameter

from . import clusters as cl
from .align import align
from .dedupe import deduplicate
from .lsh import anchor_candidates, band_candidates, unique_pairs
from .minhash import collision_probability, oph_signatures, optimal_bands, signatures
from .repeats import find_repeats
from .shingles import decode_set, encode_set, fingerprint, shingle_hashes, unique_sorted, word_hashes
from .verify import intersections, scores

__all__ = ["Duplicates"]


_CLOSING = frozenset('.!?;:"”’)]»…')


def _end(doc: Document, end: int) -> int:
    """Extend a span's end over the closing punctuation glued to its last word (the
    full stop of the sentence a passage ends), so a dropped copy leaves no stray mark."""
    text = doc.text
    limit = next((e for s, e in doc.regions if s <= end <= e), end)
    while end < limit and text[end] in _CLOSING:
        end += 1
    return end


def _span(document: Document, toks: list, s: int, e: int, **extra: Any) -> dict[str, Any]:
    """Evidence span of words ``s .. e-1``."""
    return document.span(toks[s].start, _end(document, toks[e - 1].end), **extra)


def _words_and_shingles(doc: Document, k: int) -> tuple[list, np.ndarray]:
    words = doc.words
    return words, shingle_hashes(word_hashes([t.norm for t in words]), k)


def _words_norms_shingles(doc: Document, k: int) -> tuple[list, list[str], np.ndarray]:
    words = doc.words
    norms = [t.norm for t in words]
    return words, norms, shingle_hashes(word_hashes(norms), k)


class Duplicates(Analysis):
    name = "duplicates"
    description = ("Exact and near-duplicate documents (MinHash LSH, verified exactly), clusters with the earliest "
                   "member, aligned shared passages, and passages repeated inside a document.")
    version = "2"
    corpus_memory = 10.0  # peak bytes of the corpus step per packed byte (52,472 news texts; runner scheduling hint)
    deduplicates = True
    parameters = (
        Parameter("shingle_size", "int", 5, "Words per shingle (the unit of comparison).", minimum=1, maximum=25),
        Parameter("threshold", "float", 0.5, "Near-duplicates: minimum Jaccard similarity of the shingle sets.",
                  minimum=0.0, maximum=1.0),
        Parameter("containment", "float", 0.8, "Also a near-duplicate when this share of the smaller document's "
                  "shingles is in the other (a reprint that adds or drops paragraphs); none: Jaccard only.",
                  minimum=0.0, maximum=1.0, nullable=True),
        Parameter("method", "str", "oph", "Signatures: oph (one permutation hashing, densified; fast) or minhash "
                  "(one permutation per row, classic).", choices=("oph", "minhash")),
        Parameter("num_perm", "int", 128, "Signature rows (permutations / bins).", minimum=8, maximum=1024),
        Parameter("bands", "int", "auto", "LSH bands (rows per band = num_perm // bands); auto: chosen for the "
                  "threshold like datasketch, favouring recall.", minimum=1, maximum=1024, special=("auto",)),
        Parameter("max_bucket", "int", 200, "An LSH bucket larger than this is linked as a chain rather than "
                  "all pairs (keeps cost linear on boilerplate).", minimum=2),
        Parameter("representative", "str", "longest", "Which member stands for a cluster (and is kept by --dedupe): "
                  "longest, earliest (by date), first (corpus order).", choices=("longest", "earliest", "first")),
        Parameter("passages", "bool", True, "Report aligned shared passages for every near-duplicate pair."),
        Parameter("passage_gap", "int", 6, "Merge shared runs separated by at most this many words into one passage.",
                  minimum=0),
        Parameter("min_passage_words", "int", 10, "Shortest shared passage reported between two documents (words).",
                  minimum=1),
        Parameter("repeat_min_words", "int", 20, "Shortest passage reported as repeated inside one document (words).",
                  minimum=2),
        Parameter("random_state", "int", 0, "Seed of the hash permutations.", minimum=0),
    )

    # -- per document ------------------------------------------------------------------
    def analyze_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        p = ctx.params
        k = p.shingle_size
        words, norms, sh = _words_norms_shingles(doc, k)
        n = len(words)
        uniq = unique_sorted(sh)
        repeats = []
        repeated_words = 0
        repeated_chars = 0
        # A repeat needs a shingle that occurs twice; most texts have none, and the
        # self-alignment is then skipped (it would find no run).
        if len(uniq) < len(sh) and (n >= 2 * p.repeat_min_words or n >= 2 * k):
            for g in find_repeats(sh, k, n, p.repeat_min_words, p.passage_gap):
                copies = [_span(doc, words, s, e, words=e - s) for s, e in g["copies"]]
                repeats.append({"copies": copies, "repeated_words": sum(c["words"] for c in copies[1:])})
                repeated_words += sum(c["words"] for c in copies[1:])
                repeated_chars += sum(c["end"] - c["start"] for c in copies[1:])
        clean_chars = sum(e - s for s, e in doc.regions)
        return {
            "words": n,
            "shingles": int(len(uniq)),
            "repeats": repeats,
            "repeated_words": repeated_words,
            "repeat_share": (repeated_words / n) if n else 0.0,
            "repeat_share_chars": (repeated_chars / clean_chars) if clean_chars else 0.0,
            "_fp": fingerprint(norms) if n else "",
            "_set": encode_set(uniq),
        }

    # -- corpus ------------------------------------------------------------------------
    def analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        documents = documents or []
        n = len(documents)
        ids = [d["id"] for d in documents]
        nwords = [d["words"] for d in documents]
        sets = [decode_set(d["_set"]) for d in documents]
        sizes = np.array([len(s) for s in sets], dtype=np.int64)
        dates = [cl.parse_date(corpus[i].metadata.get("date")) for i in ids]

        # exact duplicates: same word sequence after normalisation
        by_fp: dict[str, list[int]] = {}
        for i, d in enumerate(documents):
            if d["_fp"]:
                by_fp.setdefault(d["_fp"], []).append(i)
        exact_groups = [g for g in by_fp.values() if len(g) > 1]
        unique = np.zeros(n, dtype=bool)
        for g in by_fp.values():
            unique[g[0]] = True

        # near-duplicate candidates among the distinct texts
        thr = p.threshold
        cont = p.containment
        lsh_thr = max(0.05, min(thr, 1.0) * 0.8)
        if p.bands == "auto":
            bands, rows = optimal_bands(lsh_thr, p.num_perm, fp_weight=0.3, fn_weight=0.7)
        else:
            bands = min(p.bands, p.num_perm)
            rows = p.num_perm // bands
        seed = p.random_state
        sig_fn = oph_signatures if p.method == "oph" else signatures
        active = unique & (sizes > 0)
        sig = sig_fn(sets, p.num_perm, seed) if active.sum() > 1 else np.zeros((n, p.num_perm), np.uint64)
        lsh_pairs, capped = band_candidates(sig, active, bands, rows, p.max_bucket)
        if capped:
            ctx.warn(f"{capped} LSH bucket(s) held more than {p.max_bucket} documents (shared boilerplate?); "
                     "they were linked as chains, so some pairs inside them are not reported")
        anchor_pairs = (anchor_candidates(sets, active, 4, min(cont, 1.0) * 0.5, 50, p.max_bucket)
                        if cont is not None else np.zeros((0, 2), np.int64))
        cand = unique_pairs(np.concatenate([lsh_pairs, anchor_pairs]), max(n, 1))
        inter = intersections(sets, cand)
        sc = scores(sizes, cand, inter)
        cmax = np.maximum(sc["containment_a"], sc["containment_b"])
        near = sc["jaccard"] >= thr
        if cont is not None:
            near |= cmax >= cont
        near &= inter > 0
        sel = np.flatnonzero(near)

        # clusters: exact groups and verified pairs
        edges = [(g[0], m) for g in exact_groups for m in g[1:]] + [(int(cand[i, 0]), int(cand[i, 1])) for i in sel]
        comps = cl.components(n, edges)
        exact_set = {tuple(g) for g in exact_groups}
        clusters = [cl.describe_cluster(c, ids, nwords, dates, tuple(c) in exact_set, p.representative) for c in comps]
        cluster_of = {m: c["id"] for c in clusters for m in c["members"]}

        # pairs with aligned passages
        cache: dict[int, tuple[list, np.ndarray]] = {}

        def feats(i: int):
            if i not in cache:
                doc = corpus[ids[i]]
                cache[i] = _words_and_shingles(doc, p.shingle_size)
                doc.drop_features()
            return cache[i]

        pairs = []
        for i in sel:
            a, b = int(cand[i, 0]), int(cand[i, 1])
            entry: dict[str, Any] = {
                "a": ids[a],
                "b": ids[b],
                "kind": "near" if sc["jaccard"][i] >= thr else "containment",
                "jaccard": float(sc["jaccard"][i]),
                "containment_a": float(sc["containment_a"][i]),
                "containment_b": float(sc["containment_b"][i]),
                "shared_shingles": int(inter[i]),
            }
            if p.passages:
                (wa, ha), (wb, hb) = feats(a), feats(b)
                doc_a, doc_b = corpus[ids[a]], corpus[ids[b]]
                passages = align(ha, hb, p.shingle_size, len(wa), len(wb), p.passage_gap, p.min_passage_words)
                cov_a = sum(x.a_end - x.a_start for x in passages)
                cov_b = sum(x.b_end - x.b_start for x in passages)
                entry["coverage_a"] = cov_a / len(wa) if wa else 0.0
                entry["coverage_b"] = cov_b / len(wb) if wb else 0.0
                entry["passages"] = [
                    {
                        "a": _span(doc_a, wa, x.a_start, x.a_end, doc=ids[a], words=x.a_end - x.a_start),
                        "b": _span(doc_b, wb, x.b_start, x.b_end, doc=ids[b], words=x.b_end - x.b_start),
                        "matched_words": x.matched,
                    }
                    for x in passages
                ]
            pairs.append(entry)
            if len(cache) > 4096:
                cache.clear()

        out_docs = []
        for i, d in enumerate(documents):
            e = dict(d)
            e["exact_duplicate_of"] = None
            fp = d["_fp"]
            if fp and by_fp[fp][0] != i:
                e["exact_duplicate_of"] = ids[by_fp[fp][0]]
            e["cluster"] = cluster_of.get(ids[i])
            out_docs.append(e)

        empty = [ids[i] for i in range(n) if nwords[i] == 0]
        return {
            "documents": out_docs,
            "summary": {
                "documents": n,
                "empty_documents": len(empty),
                "exact_duplicate_groups": len(exact_groups),
                "exact_duplicate_copies": sum(len(g) - 1 for g in exact_groups),
                "near_duplicate_pairs": len(pairs),
                "clusters": len(clusters),
                "documents_in_clusters": sum(c["size"] for c in clusters),
                "documents_with_repeats": sum(1 for d in documents if d["repeats"]),
                "repeated_words": sum(d["repeated_words"] for d in documents),
            },
            "settings": {
                "method": p.method,
                "num_perm": p.num_perm,
                "bands": bands,
                "rows": rows,
                "lsh_probability_at_threshold": float(collision_probability(thr, bands, rows)),
                "candidates_lsh": int(len(lsh_pairs)),
                "candidates_anchor": int(len(anchor_pairs)),
                "candidates_verified": int(len(cand)),
            },
            "exact_duplicates": [
                {"members": [ids[m] for m in g], "words": nwords[g[0]]}
                for g in sorted(exact_groups, key=lambda g: ids[g[0]])
            ],
            "pairs": pairs,
            "clusters": clusters,
        }

    # -- --dedupe ----------------------------------------------------------------------
    def deduplicate(self, corpus: Corpus, result: dict[str, Any], params: Any) -> tuple[Corpus, list[dict[str, Any]]]:
        return deduplicate(corpus, result)
