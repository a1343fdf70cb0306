"""Speed of the whole rhetoric analysis against VADER alone over the same sentences.

Side by side in one run, on the first N texts of a JSONL file (field ``text``):

1. segmentation (sentences and tokens, shared by every analysis; timed separately and
   counted on neither side: VADER needs the sentences too);
2. VADER alone: one plain ``SentimentIntensityAnalyzer`` (created inside the timing, as
   the analysis loads its own), ``polarity_scores(sentence)["compound"]`` for every
   sentence of every text;
3. the whole rhetoric analysis: ``analyze_document`` on every document (quotes, speakers,
   stance, tone, frames, persuasion, figures), then ``analyze_corpus`` (speaker table,
   summaries, groups).

How it is timed, so the ratio compares the two computations and nothing else:

* CPU seconds of this process (``time.process_time``), not wall time;
* the two sides alternate in chunks of ``--chunk`` texts (VADER on a chunk, then the
  analysis on the same chunk), so load from other work on a shared machine falls on both
  alike;
* the benchmark holds every segmented text in memory (the CLI frees each document's
  tokens after analysing it): those objects are frozen out of the garbage collector
  (``gc.freeze``) before timing starts, so neither side pays for rescanning them.  The
  analysis keeps its results (the corpus part needs them); every full collection scans
  them, so the time of every full collection is charged to the analysis, even one that
  starts inside a VADER chunk.  Collection time is listed.

It also checks that the analysis's per-document tone equals the mean of plain VADER's
compound scores (the faster scorer in ``tone.py`` must not change a score).

    python benchmarks/bench_rhetoric.py ../shared/bench/news.jsonl --limit 20000
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time


class _GcClock:
    """CPU time spent in garbage collection, split into young and full collections."""

    def __init__(self) -> None:
        self.young = 0.0
        self.full = 0.0
        self._t = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t = time.process_time()
            return
        dt = time.process_time() - self._t
        if info["generation"] == 2:
            self.full += dt
        else:
            self.young += dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", help="news texts, one JSON object a line with a 'text' field (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--limit", type=int, default=20000, help="first N texts (default 20000)")
    ap.add_argument("--chunk", type=int, default=500, help="texts per alternation between the two sides (default 500)")
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

    gc.collect()
    gc.freeze()
    clock = _GcClock()
    gc.callbacks.append(clock)

    params = resolve_parameters({"rhetoric": RhetoricAnalysis.parameters})["rhetoric"]
    ctx = Context(params, "rhetoric")
    t_vader = t_docs = 0.0
    gc_vader = gc_rhet = 0.0
    sia = analysis = None
    baseline: list[list[float]] = []
    results: list[dict] = []
    for c in range(0, len(docs), a.chunk):
        chunk = docs[c:c + a.chunk]

        young, full = clock.young, clock.full
        t0 = time.process_time()
        if sia is None:
            sia = SentimentIntensityAnalyzer()
        for d in chunk:
            text = d.text
            baseline.append([sia.polarity_scores(text[s.start:s.end])["compound"] for s in d.sentences])
        t = time.process_time() - t0
        moved = clock.full - full  # a full collection scans the analysis's results: charged to it
        t_vader += t - moved
        t_docs += moved
        gc_vader += clock.young - young
        gc_rhet += moved

        young, full = clock.young, clock.full
        t0 = time.process_time()
        if analysis is None:
            analysis = RhetoricAnalysis()
        results.extend({"id": d.id, **analysis.analyze_document(d, ctx)} for d in chunk)
        t_docs += time.process_time() - t0
        gc_rhet += (clock.young - young) + (clock.full - full)

    young, full = clock.young, clock.full
    t0 = time.process_time()
    summary = analysis.analyze_corpus(corpus, ctx, results)
    t_corpus = time.process_time() - t0
    gc_rhet += (clock.young - young) + (clock.full - full)
    gc.callbacks.remove(clock)
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
    print(f"| segmentation (shared by all analyses, on neither side) | {t_seg:.1f} | {1000 * t_seg / len(docs):.2f} | {t_seg / t_vader:.2f}x |")
    print(f"| VADER alone over the same sentences | {t_vader:.1f} | {1000 * t_vader / len(docs):.2f} | 1.00x |")
    print(f"| rhetoric, whole analysis (documents + corpus) | {t_rhet:.1f} | {1000 * t_rhet / len(docs):.2f} | **{t_rhet / t_vader:.2f}x** |")
    print(f"|   of which corpus part | {t_corpus:.1f} | | |")
    print(f"|   of which garbage collection | {gc_rhet:.1f} | | |")
    print(f"| rhetoric without garbage collection | {t_rhet - gc_rhet:.1f} | {1000 * (t_rhet - gc_rhet) / len(docs):.2f} | "
          f"{(t_rhet - gc_rhet) / t_vader:.2f}x |")
    print()
    print(f"garbage collection inside the VADER side: {gc_vader:.2f} s; chunks of {a.chunk} texts alternate between the sides")
    print(f"tone check: largest |analysis mean - plain VADER mean| over documents = {worst:.2e}; "
          f"VADER scored {v.calls:,} of {n_sent:,} sentences (the rest have no VADER word or were repeats)")
    print(f"found: {quotes['direct']:,} direct, {quotes['mixed']:,} mixed, {quotes['indirect']:,} indirect quotes; "
          f"{len(summary['speakers']):,} speakers")
    print()
    print("command: python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()
