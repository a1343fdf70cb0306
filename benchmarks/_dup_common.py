"""Shared helpers of the duplicates benchmark and evaluation (not a benchmark itself)."""

from __future__ import annotations

import json
import os
import pickle
from typing import Iterable, Sequence

import numpy as np

from relkit import Document
from relkit_duplicates.lsh import anchor_candidates, band_candidates, unique_pairs
from relkit_duplicates.minhash import oph_signatures, optimal_bands, signatures
from relkit_duplicates.shingles import fingerprint, shingle_hashes, unique_sorted, word_hashes
from relkit_duplicates.verify import intersections, scores


def read_jsonl(path: str, limit: int | None = None) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(out) >= limit:
                break
            if line.strip():
                out.append(json.loads(line))
    return out


def norms_of(texts: Iterable[str]) -> list[list[str]]:
    """Word norms from relkit's shared tokenizer (cleaning included), as the analysis sees them."""
    return [[t.norm for t in Document("x", text).words] for text in texts]


def cached_norms(path: str, limit: int, cache: str | None) -> tuple[list[str], list[list[str]]]:
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            ids, norms = pickle.load(f)
        if len(ids) >= limit:
            return ids[:limit], norms[:limit]
    rows = read_jsonl(path, limit)
    ids, norms = [r["id"] for r in rows], norms_of(r["text"] for r in rows)
    if cache:
        with open(cache, "wb") as f:
            pickle.dump((ids, norms), f, protocol=pickle.HIGHEST_PROTOCOL)
    return ids, norms


def relkit_pairs(norms: Sequence[Sequence[str]], *, k: int = 5, num_perm: int = 128, threshold: float = 0.5,
                 containment: float | None = None, method: str = "oph", bands: tuple[int, int] | None = None,
                 seed: int = 0) -> dict:
    """The duplicates engine on word norms: exact groups, LSH (+ anchor) candidates,
    exact verification.  Returns verified pairs over ALL documents (exact copies
    expanded) with their scores."""
    n = len(norms)
    sets = [unique_sorted(shingle_hashes(word_hashes(w), k)) for w in norms]
    fps = [fingerprint(w) if w else "" for w in norms]
    first: dict[str, int] = {}
    rep = np.arange(n)
    for i, f in enumerate(fps):
        if f:
            rep[i] = first.setdefault(f, i)
    sizes = np.array([len(s) for s in sets])
    active = (rep == np.arange(n)) & (sizes > 0)
    b, r = bands or optimal_bands(threshold * 0.8, num_perm, 0.3, 0.7)
    fn = oph_signatures if method == "oph" else signatures
    sig = fn(sets, num_perm, seed)
    cand, _ = band_candidates(sig, active, b, r, 200)
    if containment is not None:
        cand = unique_pairs(np.concatenate([cand, anchor_candidates(sets, active, 4, containment * 0.5, 50, 200)]), max(n, 1))
    inter = intersections(sets, cand)
    sc = scores(sizes, cand, inter)
    ok = sc["jaccard"] >= threshold
    if containment is not None:
        ok |= np.maximum(sc["containment_a"], sc["containment_b"]) >= containment
    ok &= inter > 0
    found = {(int(a), int(c)) for a, c in cand[ok]}
    groups: dict[int, list[int]] = {}
    for i in range(n):
        if fps[i]:
            groups.setdefault(int(rep[i]), []).append(i)
    pairs = set()
    for a, c in found:
        for x in groups.get(a, [a]):
            for y in groups.get(c, [c]):
                pairs.add((min(x, y), max(x, y)))
    for g in groups.values():
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                pairs.add((g[i], g[j]))
    return {"pairs": pairs, "candidates": len(cand), "bands": (b, r), "sets": sets}


def datasketch_pairs(norms: Sequence[Sequence[str]], *, k: int = 5, num_perm: int = 128, threshold: float = 0.5,
                     bands: tuple[int, int] | None = None, seed: int = 1) -> dict:
    """datasketch MinHash + MinHashLSH with the same shingles and banding: candidate pairs."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=bands) if bands else MinHashLSH(threshold=threshold, num_perm=num_perm)
    mhs = []
    for i, w in enumerate(norms):
        if not w:
            mhs.append(None)
            continue
        kk = min(k, len(w))
        sh = {" ".join(w[j : j + kk]).encode("utf-8") for j in range(len(w) - kk + 1)}
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch(list(sh))
        lsh.insert(i, m)
        mhs.append(m)
    cand = set()
    for i, m in enumerate(mhs):
        if m is None:
            continue
        for j in lsh.query(m):
            if j != i:
                cand.add((min(i, j), max(i, j)))
    return {"candidates": cand, "bands": (lsh.b, lsh.r)}


def verify_pairs(sets, pairs, threshold: float, containment: float | None = None) -> set:
    if not pairs:
        return set()
    arr = np.array(sorted(pairs), dtype=np.int64)
    inter = intersections(sets, arr)
    sizes = np.array([len(s) for s in sets])
    sc = scores(sizes, arr, inter)
    ok = sc["jaccard"] >= threshold
    if containment is not None:
        ok |= np.maximum(sc["containment_a"], sc["containment_b"]) >= containment
    ok &= inter > 0
    return {(int(a), int(b)) for a, b in arr[ok]}


def true_pairs(sets, threshold: float, containment: float | None = None, max_products: float = 3e8) -> set | None:
    """All pairs at or above the threshold, exactly (sparse X·Xᵀ); None when too big."""
    from scipy import sparse

    n = len(sets)
    lens = np.array([len(s) for s in sets])
    if lens.sum() == 0:
        return set()
    vals = np.concatenate([s for s in sets if len(s)])
    uniq, col = np.unique(vals, return_inverse=True)
    df = np.bincount(col)
    if float((df.astype(np.float64) ** 2).sum()) > max_products:
        return None
    row = np.repeat(np.arange(n), lens)
    x = sparse.csr_matrix((np.ones(len(col), dtype=np.int32), (row, col)), shape=(n, len(uniq)))
    prod = sparse.triu(x @ x.T, k=1).tocoo()
    a, b, inter = prod.row, prod.col, prod.data.astype(np.float64)
    union = lens[a] + lens[b] - inter
    ok = inter / union >= threshold
    if containment is not None:
        ok |= inter / np.minimum(lens[a], lens[b]) >= containment
    return {(int(i), int(j)) for i, j in zip(a[ok], b[ok])}
