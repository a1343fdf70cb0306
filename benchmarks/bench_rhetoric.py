"""Speed of the whole rhetoric analysis against VADER alone over the same sentences.

Side by side in one run, on the first N texts of a JSONL file (field ``text``):

1. segmentation (sentences and tokens, shared by every analysis; timed separately);
2. VADER alone: one ``SentimentIntensityAnalyzer``, ``polarity_scores`` on every sentence;
3. the whole rhetoric analysis: ``analyze_document`` on every document, then
   ``analyze_corpus`` (speaker table, summaries).

Times are CPU seconds of this process (``time.process_time``), so that other work on a
shared machine does not distort the ratio.  It also checks that the analysis's per-document tone equals the mean of plain VADER's
compound scores (the fast path in ``tone.py`` must not change a score).

    python benchmarks/bench_rhetoric.py ../shared/bench/news.jsonl --limit 20000
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", help="news texts, one JSON object a line with a 'text' field (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--limit", type=int, default=20000, help="first N texts (default 20000)")
    a = ap.parse_args()

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from relkit import Context, Corpus, Document
    from relkit.params import resolve_parameters
    from relkit_rhetoric import RhetoricAnalysis

    docs = []
    with open(a.jsonl, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= a.limit:
                break
            obj = json.loads(line)
            docs.append(Document(str(obj.get("id", i)), obj.get("text") or "", metadata={"source": obj.get("source")}))
    corpus = Corpus(docs)
    chars = sum(len(d.text) for d in docs)

    t0 = time.process_time()
    n_sent = sum(len(d.sentences) for d in docs)
    t_seg = time.process_time() - t0

    t0 = time.process_time()
    sia = SentimentIntensityAnalyzer()
    baseline = []
    for d in docs:
        text = d.text
        baseline.append([sia.polarity_scores(text[s.start:s.end])["compound"] for s in d.sentences])
    t_vader = time.process_time() - t0

    params = resolve_parameters({"rhetoric": RhetoricAnalysis.parameters})["rhetoric"]
    ctx = Context(params, "rhetoric")
    t0 = time.process_time()
    analysis = RhetoricAnalysis()
    results = [{"id": d.id, **analysis.analyze_document(d, ctx)} for d in docs]
    t_docs = time.process_time() - t0
    t0 = time.process_time()
    summary = analysis.analyze_corpus(corpus, ctx, results)
    t_corpus = time.process_time() - t0
    t_rhet = t_docs + t_corpus

    from relkit_rhetoric.tone import vader

    worst = 0.0
    for r, base in zip(results, baseline):
        if base:
            worst = max(worst, abs(r["tone"]["mean"] - sum(base) / len(base)))
    v = vader()
    quotes = summary["summary"]["quotes"]

    print(f"{len(docs):,} texts, {chars:,} characters, {n_sent:,} sentences ({a.jsonl})\n")
    print("| step | CPU seconds | ms per text | vs VADER alone |")
    print("|---|---:|---:|---:|")
    print(f"| segmentation (shared by all analyses) | {t_seg:.1f} | {1000 * t_seg / len(docs):.2f} | {t_seg / t_vader:.2f}x |")
    print(f"| VADER alone over the same sentences | {t_vader:.1f} | {1000 * t_vader / len(docs):.2f} | 1.00x |")
    print(f"| rhetoric, whole analysis (documents + corpus) | {t_rhet:.1f} | {1000 * t_rhet / len(docs):.2f} | {t_rhet / t_vader:.2f}x |")
    print(f"|   of which corpus part | {t_corpus:.1f} | | |")
    print()
    print(f"tone check: largest |analysis mean - plain VADER mean| over documents = {worst:.2e}; "
          f"VADER run on {v.calls:,} of {n_sent:,} sentences (the rest have no VADER word or were repeats)")
    print(f"found: {quotes['direct']:,} direct, {quotes['mixed']:,} mixed, {quotes['indirect']:,} indirect quotes; "
          f"{len(summary['speakers']):,} speakers")
    print()
    print("command: python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()
