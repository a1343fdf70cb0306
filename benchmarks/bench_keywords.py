"""Keyphrase extraction throughput: relkit's keywords analysis beside YAKE, one process, same texts.

    python benchmarks/bench_keywords.py ../shared/bench/news.jsonl --limit 20000

Both get the raw text of each document and return its top 10 keyphrases.  relkit's time
includes everything its per-document step does from the raw text: cleaning, sentence
segmentation and tokenisation (shared by all analyses in a real run, counted here
anyway), candidate extraction, scoring and selection; the second relkit row adds the
rest of the keywords analysis's per-document work (offsets, counts for keyness and
collocations).  YAKE 0.7.3 runs with its defaults (n=3, top=10).  Single process for
both; wall-clock seconds (time.perf_counter).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from relkit import Context, Document, Params  # noqa: E402
from relkit_keywords.analysis import KeywordsAnalysis  # noqa: E402
from relkit_keywords.keyphrases import KeyphraseScorer  # noqa: E402
from relkit_keywords.rarity import frequency_dict  # noqa: E402


def read(path: str, limit: int) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(texts) >= limit:
                break
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def timed(fn, texts):
    started = time.perf_counter()
    n_out = 0
    for i, t in enumerate(texts):
        n_out += len(fn(i, t))
    return time.perf_counter() - started, n_out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="news.jsonl (field text)")
    ap.add_argument("--limit", type=int, default=20000, help="first N texts [20000]")
    ap.add_argument("--yake-limit", type=int, default=None, help="time YAKE on the first N texts only (throughput is per text)")
    args = ap.parse_args(argv)
    texts = read(args.path, args.limit)
    chars = sum(len(t) for t in texts)
    frequency_dict()  # load wordfreq once, outside the timing (as a long run does)

    scorer = KeyphraseScorer()
    rows = []

    def relkit_keyphrases(i, text):
        return scorer.extract(Document(str(i), text), 10)

    analysis = KeywordsAnalysis()
    ctx = Context(Params({p.name: p.default for p in KeywordsAnalysis.parameters}), analysis="keywords")

    def relkit_analysis(i, text):
        return analysis.analyze_document(Document(str(i), text), ctx)["keyphrases"]

    import yake

    kw = yake.KeywordExtractor(lan="en", top=10)

    def yake_keyphrases(i, text):
        return kw.extract_keywords(text)

    for name, fn, sub in (
        ("relkit keyphrases (clean + tokenise + extract)", relkit_keyphrases, texts),
        ("relkit keywords per-document step (all of it)", relkit_analysis, texts),
        ("YAKE 0.7.3 (defaults, top 10)", yake_keyphrases, texts[: args.yake_limit] if args.yake_limit else texts),
    ):
        seconds, _ = timed(fn, sub)
        rows.append((name, len(sub), seconds))
    yake_rate = rows[-1][1] / rows[-1][2]
    print(f"{len(texts)} texts, {chars:,} characters, one process\n")
    print("| method | texts | seconds | texts/s | × YAKE |")
    print("|---|---|---|---|---|")
    for name, n, s in rows:
        rate = n / s
        print(f"| {name} | {n} | {s:.1f} | {rate:.0f} | {rate / yake_rate:.1f} |")
    print("\ncommand: python " + " ".join(["benchmarks/bench_keywords.py", *(argv if argv is not None else sys.argv[1:])]))


if __name__ == "__main__":
    main()
