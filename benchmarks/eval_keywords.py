"""Keyphrase extraction on DUC-2001: relkit's keywords analysis beside YAKE, same protocol.

Protocol of Gallina, Boudin & Daille (JCDL 2020): every phrase (gold and predicted) is
lower-cased, split on white space and Porter-stemmed word by word (nltk's PorterStemmer);
a prediction is correct when its stemmed form equals a gold phrase's exactly; precision,
recall and F1 at k are computed per document and then macro-averaged; gold phrases
absent from the text stay in the recall denominator.  Duplicate predictions (same stemmed
form) are removed before cutting at k.  Only the document text is given to the
extractors (not the title).

    python benchmarks/eval_keywords.py ../shared/eval/duc2001.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from nltk.stem import PorterStemmer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from relkit import Document  # noqa: E402
from relkit_keywords.keyphrases import KeyphraseScorer  # noqa: E402

PUBLISHED = [  # Gallina et al. 2020, DUC-2001, F1@10 (F1@5 where the paper gives it is not in ../shared/eval/README.md)
    ("TF-IDF (published)", None, 23.3),
    ("TextRank (published)", None, 21.5),
    ("TopicRank (published)", None, 23.5),
    ("MultipartiteRank (published)", None, 25.6),
    ("PositionRank (published)", None, 28.6),
    ("EmbedRank (published)", None, 29.5),
]

_porter = PorterStemmer()
_stems: dict[str, str] = {}


def _stem(word: str) -> str:
    s = _stems.get(word)
    if s is None:
        s = _stems[word] = _porter.stem(word)
    return s


def stem_phrase(phrase: str) -> str:
    return " ".join(_stem(w) for w in phrase.lower().split())


def prf(predicted: list[str], gold: set[str], k: int) -> tuple[float, float, float]:
    seen: list[str] = []
    for p in predicted:
        if p not in seen:
            seen.append(p)
    top = seen[:k]
    tp = sum(1 for p in top if p in gold)
    p = tp / len(top) if top else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(name, extract, docs, ks=(5, 10)):
    sums = {k: [0.0, 0.0, 0.0] for k in ks}
    started = time.perf_counter()
    for d in docs:
        gold = {stem_phrase(g) for g in d["keyphrases"]}
        predicted = [stem_phrase(p) for p in extract(d["text"])]
        for k in ks:
            for i, v in enumerate(prf(predicted, gold, k)):
                sums[k][i] += v
    seconds = time.perf_counter() - started
    n = len(docs)
    return {"name": name, "seconds": seconds, **{f"{m}@{k}": 100 * sums[k][i] / n for k in ks for i, m in enumerate("PRF")}}


def relkit_extractor(**options):
    scorer = KeyphraseScorer(**options)

    def extract(text: str) -> list[str]:
        doc = Document("d", text)
        return [" ".join(kp.words) for kp in scorer.extract(doc, k=10)]

    return extract


def yake_extractor():
    import yake

    kw = yake.KeywordExtractor(lan="en", top=10)  # 0.7.3 defaults otherwise (n=3, dedupLim=0.9)

    def extract(text: str) -> list[str]:
        return [p for p, _ in kw.extract_keywords(text)]  # lower score = better, already sorted

    return extract


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="duc2001.jsonl (fields text, keyphrases)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--no-yake", action="store_true", help="skip YAKE")
    args = ap.parse_args(argv)
    docs = [json.loads(line) for line in open(args.path, encoding="utf-8") if line.strip()]
    if args.limit:
        docs = docs[: args.limit]
    rows = [evaluate("relkit keywords", relkit_extractor(), docs)]
    if not args.no_yake:
        rows.append(evaluate("YAKE 0.7.3 (defaults, same script)", yake_extractor(), docs))
    absent = sum(1 for d in docs for g in d["keyphrases"] if stem_phrase(g) not in stem_phrase(d["text"]))
    total = sum(len(d["keyphrases"]) for d in docs)
    print(f"DUC-2001, {len(docs)} documents, {total} gold phrases ({absent} not found verbatim after stemming, kept in recall)\n")
    print("| method | P@5 | R@5 | F1@5 | P@10 | R@10 | F1@10 | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['P@5']:.1f} | {r['R@5']:.1f} | {r['F@5']:.1f} | {r['P@10']:.1f} | {r['R@10']:.1f} | {r['F@10']:.1f} | {r['seconds']:.1f} |")
    for name, f5, f10 in PUBLISHED:
        print(f"| {name} | | | {'' if f5 is None else f5} | | | {f10} | |")
    print("\nprotocol: Gallina, Boudin & Daille 2020 (Porter-stemmed exact match, per-document P/R/F macro-averaged, absent gold in recall)")
    print("command: python " + " ".join(["benchmarks/eval_keywords.py", *(argv if argv is not None else sys.argv[1:])]))


if __name__ == "__main__":
    main()
