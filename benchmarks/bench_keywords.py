"""Keyphrase extraction throughput: relkit's keywords analysis beside YAKE, one process, same texts.

    python benchmarks/bench_keywords.py ../shared/bench/news.jsonl --limit 20000

Every method gets the raw text of each document and returns its top 10 keyphrases.

* ``relkit keyphrases``: everything from the raw text: cleaning, sentence segmentation
  and tokenisation (in a real run these are done once per document and shared by all
  analyses; counted here anyway, and shown separately), candidate extraction, word
  graph, scoring and selection.  Segmentation is timed as ``doc.columns`` (the token
  columns keywords reads; no ``Token`` tuple is made unless an analysis asks for
  ``doc.tokens``).
* ``relkit keywords, whole per-document step``: the same plus the rest of the
  analysis's per-document work (offsets and surfaces of each phrase, the word and
  n-gram counts that the corpus-level keyness and collocations use).
* ``YAKE``: ``yake.KeywordExtractor(lan="en", top=10)``, its defaults otherwise (n=3).

The per-document step keeps each document's word runs; the word and n-gram counts for
keyness and collocations are made from them in the corpus step.  So that no work hides
there, the corpus step (keyness against general English, collocations, corpus-wide
keyphrases, examples) is timed too, once on all the texts' results, and shown with the
per-document step and on its own.

The methods run in turns on the same chunks of texts (chunk 1 through each method, then
chunk 2, ...), so a busy machine slows them alike; the two relkit rows share memos and
alternate which goes first.  Times are CPU seconds of the process
(``time.process_time``, all threads).  Imports and one-off table loads (wordfreq, nltk's
stemmer, YAKE's stopwords) happen on one warm-up text before timing and are reported
separately.  Per-process memos (word forms, stems) start empty: the first texts pay to
fill them, as in a real run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from relkit import Context, Corpus, Document, Params  # noqa: E402


def read(path: str, limit: int) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(texts) >= limit:
                break
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="news.jsonl (field text)")
    ap.add_argument("--limit", type=int, default=20000, help="first N texts [20000]")
    ap.add_argument("--yake-limit", type=int, default=None,
                    help="give YAKE only the first N texts (its rate is then per text on that prefix; say so when quoting)")
    ap.add_argument("--chunk", type=int, default=250, help="texts per turn [250]")
    args = ap.parse_args(argv)
    texts = read(args.path, args.limit)
    chars = sum(len(t) for t in texts)
    clock = time.process_time

    warm: dict[str, float] = {}
    t0 = clock()
    from relkit_keywords.analysis import KeywordsAnalysis
    from relkit_keywords.keyphrases import KeyphraseScorer

    scorer = KeyphraseScorer()
    analysis = KeywordsAnalysis()
    ctx = Context(Params({p.name: p.default for p in KeywordsAnalysis.parameters}), analysis="keywords")
    analysis.analyze_document(Document("warm-up", texts[0]), ctx)
    from relkit_keywords.keyness import p_value
    from relkit_keywords.rarity import frequency_dict

    p_value(1.0), frequency_dict()  # scipy's chi2 and wordfreq's table, loaded once per process
    warm["relkit"] = clock() - t0
    t0 = clock()
    import yake

    kw = yake.KeywordExtractor(lan="en", top=10)
    kw.extract_keywords(texts[0])
    warm["YAKE"] = clock() - t0

    seconds = {"keyphrases": 0.0, "segmentation": 0.0, "step": 0.0, "yake": 0.0}
    counts = {"keyphrases": 0, "step": 0, "yake": 0}
    outputs = {"keyphrases": 0, "step": 0, "yake": 0}
    yake_n = len(texts) if args.yake_limit is None else min(args.yake_limit, len(texts))
    def run_keyphrases(lo: int, chunk: list[str]) -> None:
        for i, text in enumerate(chunk, lo):  # cleaning + segmentation timed apart
            a = clock()
            doc = Document(str(i), text)
            doc.columns  # noqa: B018 - cleaning, segmentation, tokenisation (no Token tuples: keywords reads columns)
            b = clock()
            outputs["keyphrases"] += len(scorer.extract(doc, 10))
            c = clock()
            seconds["segmentation"] += b - a
            seconds["keyphrases"] += c - a
        counts["keyphrases"] += len(chunk)

    # The per-document step's results, for the corpus step, packed as JSON the way the
    # runner keeps them between the phases (packing untimed): thousands of live result
    # dicts would otherwise slow the rest of the loop with garbage-collector passes.
    results: list[str] = []

    def run_step(lo: int, chunk: list[str]) -> None:
        for i, text in enumerate(chunk, lo):
            a = clock()
            r = analysis.analyze_document(Document(str(i), text), ctx)
            seconds["step"] += clock() - a
            results.append(json.dumps(r))
            outputs["step"] += len(r["keyphrases"])
        counts["step"] += len(chunk)

    for turn, lo in enumerate(range(0, len(texts), args.chunk)):
        chunk = texts[lo : lo + args.chunk]
        # The two relkit rows share per-process memos: whichever runs first on a chunk
        # fills them for the other, so they take turns at going first.
        for fn in (run_keyphrases, run_step) if turn % 2 == 0 else (run_step, run_keyphrases):
            fn(lo, chunk)
        sub = chunk[: max(0, yake_n - lo)]
        a = clock()
        for text in sub:
            outputs["yake"] += len(kw.extract_keywords(text))
        seconds["yake"] += clock() - a
        counts["yake"] += len(sub)

    corpus = Corpus.from_texts({str(i): t for i, t in enumerate(texts)})
    documents = [{"id": str(i), **json.loads(r)} for i, r in enumerate(results)]
    del results
    a = clock()
    analysis.analyze_corpus(corpus, ctx, documents)
    seconds["corpus"] = clock() - a
    yake_rate = counts["yake"] / seconds["yake"]
    rows = [
        ("relkit keyphrases (clean + segment + extract)", "keyphrases"),
        ("relkit keywords, whole per-document step", "step"),
        (f"YAKE {version('yake')} (defaults, top 10)", "yake"),
    ]
    print(f"{len(texts):,} texts, {chars:,} characters ({chars / len(texts):.0f} per text), one process, CPU seconds\n")
    print("| method | texts | CPU s | texts / CPU s | × YAKE | keyphrases |")
    print("|---|---|---|---|---|---|")
    for name, key in rows:
        rate = counts[key] / seconds[key]
        print(f"| {name} | {counts[key]:,} | {seconds[key]:.1f} | {rate:,.0f} | {rate / yake_rate:.1f} | {outputs[key]:,} |")
    whole = seconds["step"] + seconds["corpus"]
    print(f"| relkit keywords, per-document step + corpus step (keyness, collocations) | {counts['step']:,} | {whole:.1f} | "
          f"{counts['step'] / whole:,.0f} | {counts['step'] / whole / yake_rate:.1f} | |")
    seg = seconds["segmentation"]
    print(f"\nof relkit keyphrases' {seconds['keyphrases']:.1f} s, cleaning + segmentation + tokenisation (shared by all "
          f"analyses in a real run) took {seg:.1f} s; keyphrases alone: {counts['keyphrases'] / (seconds['keyphrases'] - seg):,.0f} texts / CPU s "
          f"({counts['keyphrases'] / (seconds['keyphrases'] - seg) / yake_rate:.1f} × YAKE)")
    print(f"corpus step alone, once on all {counts['step']:,} texts' results: {seconds['corpus']:.1f} CPU s "
          f"({1000 * seconds['corpus'] / counts['step']:.2f} ms a text)")
    print(f"one-off imports and table loads before timing: relkit {warm['relkit']:.1f} s, YAKE {warm['YAKE']:.1f} s")
    if counts["yake"] < len(texts):
        print(f"YAKE ran on the first {counts['yake']:,} texts only; its rate is per text on that prefix")
    print("\ncommand: python " + " ".join(["benchmarks/bench_keywords.py", *(argv if argv is not None else sys.argv[1:])]))


if __name__ == "__main__":
    main()
