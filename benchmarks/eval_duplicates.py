"""Evaluation of the duplicates analysis, with datasketch's MinHashLSH as the peer.

1. Injected edits: texts from news.jsonl (real near-duplicates already in the pool are
   removed first) get edited copies at several edit rates; the gold pairs and clusters
   are known.  Edit kinds, in turn: word substitutions; sentences deleted and sentences
   from other texts inserted; paragraphs dropped and paragraphs from another text
   appended; the (lightly substituted) text pasted inside another text.  Precision,
   recall, F1 on pairs and the adjusted Rand index of clusters, per rate.
   relkit: the real analysis (``relkit.analyze``) with its defaults.  datasketch: MinHash +
   MinHashLSH on the same shingles with the same (bands, rows), its candidates (a) as
   they come, (b) verified exactly with relkit's thresholds.
2. Clough & Stevenson reuse corpus: mean word-trigram containment of each answer in its
   source per category (the published means: cut .65, light .50, heavy .30, non .02),
   and which answers each engine pairs with their source.
3. BBC: the exact duplicate copies (identical text after lower-casing and collapsing
   whitespace), and how many relkit's exact-duplicate groups find.

    python benchmarks/eval_duplicates.py ../shared/bench/news.jsonl ../shared/eval/clough_reuse.jsonl ../shared/eval/bbc.jsonl
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import defaultdict

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import relkit  # noqa: E402
from relkit import Corpus, Document  # noqa: E402
from _dup_common import datasketch_pairs, norms_of, read_jsonl, verify_pairs  # noqa: E402
from relkit_duplicates.minhash import optimal_bands  # noqa: E402
from relkit_duplicates.shingles import shingle_hashes, word_hashes  # noqa: E402

KINDS = ("substitute", "sentences", "paragraphs", "pasted")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) < 3:  # hard-wrapped or one block: use groups of sentences
        sents = _SENT.split(" ".join(text.split()))
        paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
    return paras


def _sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(" ".join(text.split())) if s]


def _substitute(text: str, rate: float, rng: random.Random, vocab: list[str]) -> str:
    words = text.split(" ")
    return " ".join(rng.choice(vocab) if rng.random() < rate else w for w in words)


def edit(text: str, kind: str, rate: float, rng: random.Random, others: list[str], vocab: list[str]) -> tuple[str, int | None]:
    def most_of(donor: str, taken: list[str]) -> bool:
        return sum(len(t.split()) for t in taken) >= 0.8 * len(donor.split())

    """The edited copy, and the index of another text most of which it now holds (the
    host it was pasted into, or a donor whose inserted part is >= 80% of its words)."""
    if kind == "substitute":
        return _substitute(" ".join(text.split()), rate, rng, vocab), None
    if kind == "sentences":
        sents = _sentences(text)
        n = max(1, round(rate * len(sents)))
        for _ in range(n):
            if len(sents) > 2:
                sents.pop(rng.randrange(len(sents)))
        d = rng.randrange(len(others))
        donor = _sentences(others[d])
        taken = [rng.choice(donor) for _ in range(n)]
        for t in taken:
            sents.insert(rng.randrange(len(sents) + 1), t)
        return " ".join(sents), (d if most_of(others[d], list(set(taken))) else None)
    if kind == "paragraphs":
        paras = _paragraphs(text)
        n = max(1, round(rate * len(paras)))
        for _ in range(n):
            if len(paras) > 2:
                paras.pop(rng.randrange(len(paras)))
        d = rng.randrange(len(others))
        donor = _paragraphs(others[d])
        return "\n\n".join(paras + donor[:n]), (d if most_of(others[d], donor[:n]) else None)
    if kind == "pasted":
        h = rng.randrange(len(others))
        host = _paragraphs(others[h])
        pos = rng.randrange(len(host) + 1)
        inner = _substitute(" ".join(text.split()), rate / 2, rng, vocab)
        return "\n\n".join(host[:pos] + [inner] + host[pos:]), h
    raise ValueError(kind)


def build_benchmark(pool: list[dict], rate: float, n_sources: int, seed: int):
    rng = random.Random(seed)
    texts = [r["text"] for r in pool]
    vocab = [w for t in texts[:500] for w in t.split()][:50000]
    sources = rng.sample(range(len(pool)), n_sources)
    docs = [(r["id"], r["text"]) for r in pool]
    gold_cluster = {r["id"]: r["id"] for r in pool}
    kind_of = {}
    links = []  # a pasted copy also holds all of its host text: that is reuse too
    for n, s in enumerate(sources):
        copies = 2 if n % 5 == 0 else 1  # some clusters of three
        for c in range(copies):
            kind = KINDS[(n + c) % len(KINDS)]
            cid = f"{pool[s]['id']}~{kind}{c}"
            text, host = edit(texts[s], kind, rate, rng, texts, vocab)
            docs.append((cid, text))
            gold_cluster[cid] = pool[s]["id"]
            if host is not None and host != s:
                links.append((cid, pool[host]["id"]))
            kind_of[cid] = kind
    order = list(range(len(docs)))
    rng.shuffle(order)
    docs = [docs[i] for i in order]
    pairs = {(min(a, b), max(a, b)) for a, b in links}
    pairs |= pairs_of_clusters(gold_cluster)
    gold_cluster = closure(pairs, list(gold_cluster))
    gold = pairs_of_clusters(gold_cluster)
    return docs, gold, gold_cluster, kind_of


def prf(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def closure(pairs: set, ids: list[str]) -> dict[str, str]:
    parent = {i: i for i in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


def pairs_of_clusters(labels: dict[str, str]) -> set:
    groups = defaultdict(list)
    for i, c in labels.items():
        groups[c].append(i)
    out = set()
    for m in groups.values():
        m.sort()
        for x in range(len(m)):
            for y in range(x + 1, len(m)):
                out.add((m[x], m[y]))
    return out


def relkit_run(docs: list[tuple[str, str]], params=None):
    corpus = Corpus([Document(i, t) for i, t in docs])
    res = relkit.analyze(corpus, only=["duplicates"], params={"duplicates": params or {}})["reports"]["duplicates"]
    assert res["ok"], res["error"]
    return corpus, res["result"]


def relkit_labels(result, ids) -> dict[str, str]:
    lab = {i: i for i in ids}
    for c in result["clusters"]:
        for m in c["members"]:
            lab[m] = c["id"]
    return lab


def ari(gold: dict[str, str], pred: dict[str, str], ids: list[str]) -> float:
    return adjusted_rand_score([gold[i] for i in ids], [pred[i] for i in ids])


def eval_injected(news: str, pool_size: int, n_sources: int, rates: list[float], seed: int) -> None:
    rows = read_jsonl(news, pool_size * 2)
    rows = [r for r in rows if 80 <= len(r["text"].split()) <= 1500][:pool_size]
    # remove real near-duplicates already in the pool (keep one of each)
    _, res = relkit_run([(r["id"], r["text"]) for r in rows], {"containment": 0.5, "threshold": 0.3})
    drop = {m for c in res["clusters"] for m in c["members"] if m != c["id"]}
    pool = [r for r in rows if r["id"] not in drop]
    b, r_ = optimal_bands(0.5 * 0.8, 128, 0.3, 0.7)
    print(f"\n## Injected edits: {len(pool)} news texts (of the first {len(rows)} with 80-1500 words, {len(drop)} real near-duplicates removed), "
          f"{n_sources} sources get 1-2 edited copies per rate; kinds {', '.join(KINDS)}\n")
    print("| edit rate | engine | precision | recall | F1 | ARI | " + " | ".join(f"recall {k}" for k in KINDS) + " |")
    print("|---|---|---|---|---|---|" + "---|" * len(KINDS))
    for rate in rates:
        docs, gold, gold_cluster, kind_of = build_benchmark(pool, rate, n_sources, seed)
        ids = [i for i, _ in docs]
        corpus, res = relkit_run(docs)
        lab = relkit_labels(res, ids)
        pred = pairs_of_clusters(lab)
        norms = norms_of(t for _, t in docs)
        sets = [np.unique(shingle_hashes(word_hashes(w), 5)) for w in norms]
        ds = datasketch_pairs(norms, bands=(b, r_))
        idx = {n: i for n, i in enumerate(ids)}
        raw = {(min(idx[a], idx[c]), max(idx[a], idx[c])) for a, c in ds["candidates"]}
        ver = verify_pairs(sets, ds["candidates"], 0.5, 0.8)
        ver = {(min(idx[a], idx[c]), max(idx[a], idx[c])) for a, c in ver}
        engines = [("relkit", pred, lab)]
        for name, pairs in (("datasketch LSH", raw), ("datasketch LSH + exact check", ver)):
            lab2 = closure(pairs, ids)
            engines.append((name, pairs_of_clusters(lab2), lab2))
        for name, pairs, labels in engines:
            p, r, f = prf(pairs, gold)
            per_kind = []
            for k in KINDS:
                g = {(a, c) for a, c in gold if kind_of.get(a) == k or kind_of.get(c) == k}
                g = {(a, c) for a, c in g if (a not in kind_of) != (c not in kind_of)}  # copy vs source (or host)
                per_kind.append(f"{len(g & pairs) / len(g):.3f}" if g else "")
            print(f"| {rate:.2f} | {name} | {p:.3f} | {r:.3f} | {f:.3f} | {ari(gold_cluster, labels, ids):.3f} | " + " | ".join(per_kind) + " |")


def eval_clough(path: str) -> None:
    rows = read_jsonl(path)
    by_id = {r["id"]: r for r in rows}
    norms = dict(zip(by_id, norms_of(r["text"] for r in rows)))
    cont = defaultdict(list)
    for r in rows:
        if r["category"] == "orig":
            continue
        a = set(shingle_hashes(word_hashes(norms[r["id"]]), 3).tolist())
        s = set(shingle_hashes(word_hashes(norms[r["source_id"]]), 3).tolist())
        cont[r["category"]].append(len(a & s) / len(a) if a else 0.0)
    published = {"cut": 0.65, "light": 0.50, "heavy": 0.30, "non": 0.02}
    _, res = relkit_run([(r["id"], r["text"]) for r in rows])
    paired = {(p["a"], p["b"]) for p in res["pairs"]} | {(p["b"], p["a"]) for p in res["pairs"]}
    ids = list(by_id)
    b, r_ = optimal_bands(0.5 * 0.8, 128, 0.3, 0.7)
    ds = datasketch_pairs([norms[i] for i in ids], bands=(b, r_))
    ds_pairs = {(ids[a], ids[c]) for a, c in ds["candidates"]} | {(ids[c], ids[a]) for a, c in ds["candidates"]}
    print("\n## Clough & Stevenson text reuse (100 answers): word-trigram containment in the source, and pairs found at the defaults\n")
    print("| category | answers | mean trigram containment (relkit tokens) | published | relkit pairs answer-source | datasketch LSH pairs |")
    print("|---|---|---|---|---|---|")
    for cat in ("cut", "light", "heavy", "non"):
        ans = [r for r in rows if r["category"] == cat]
        hit = sum((r["id"], r["source_id"]) in paired for r in ans)
        hit_ds = sum((r["id"], r["source_id"]) in ds_pairs for r in ans)
        print(f"| {cat} | {len(ans)} | {np.mean(cont[cat]):.2f} | {published[cat]:.2f} | {hit}/{len(ans)} | {hit_ds}/{len(ans)} |")


def eval_bbc(path: str) -> None:
    rows = read_jsonl(path)
    groups = defaultdict(list)
    for r in rows:
        groups[" ".join(r["text"].lower().split())].append(r["id"])
    gold = {tuple(sorted(g)) for g in groups.values() if len(g) > 1}
    gold_copies = sum(len(g) - 1 for g in gold)
    _, res = relkit_run([(r["id"], r["text"]) for r in rows])
    found = {tuple(sorted(g["members"])) for g in res["exact_duplicates"]}
    copies = sum(len(g) - 1 for g in found)
    covered = sum(len(g) - 1 for g in gold if any(set(g) <= set(f) for f in found))
    print(f"\n## BBC ({len(rows)} articles): exact duplicate copies\n")
    print("| | groups | copies |")
    print("|---|---|---|")
    print(f"| gold (identical after lower-casing, whitespace collapsed) | {len(gold)} | {gold_copies} |")
    print(f"| relkit exact_duplicates | {len(found)} | {copies} (gold copies found: {covered}/{gold_copies}) |")
    print(f"| relkit near-duplicate pairs besides | | {res['summary']['near_duplicate_pairs']} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("news")
    ap.add_argument("clough")
    ap.add_argument("bbc")
    ap.add_argument("--pool", type=int, default=3000, help="news texts in the injected benchmark")
    ap.add_argument("--sources", type=int, default=400, help="texts that get edited copies")
    ap.add_argument("--rates", type=float, nargs="+", default=[0.02, 0.05, 0.1, 0.2, 0.3])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print("# Duplicates evaluation (relkit duplicates defaults: 5-word shingles, Jaccard >= 0.5 or containment >= 0.8; "
          "datasketch MinHash/MinHashLSH, 128 permutations, same bands)")
    eval_injected(args.news, args.pool, args.sources, args.rates, args.seed)
    eval_clough(args.clough)
    eval_bbc(args.bbc)
    print("\ncommand: python benchmarks/eval_duplicates.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
