"""Memory and corpus-step cost of the keywords analysis, one process.

    python benchmarks/mem_keywords.py ../shared/bench/news.jsonl --limit 20000

Runs ``analyze_document`` on each of the first N texts, packs each result as JSON (as
the runner keeps results between its two phases), then decodes them all and runs
``analyze_corpus`` once.  Prints the size of the decoded per-document results as Python
objects (tracemalloc), split into the private state (keys starting with ``_``) and the
report entries; the corpus step's CPU seconds; and the process's peak resident memory
after each phase (``ru_maxrss``, a high-water mark).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from relkit import Context, Corpus, Params  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def decoded_mb(packed: list[str]) -> tuple[list[dict], float]:
    gc.collect()
    tracemalloc.start()
    objs = [json.loads(x) for x in packed]
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return objs, size / 1e6


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="news.jsonl (field text)")
    ap.add_argument("--limit", type=int, default=20000, help="first N texts [20000]")
    args = ap.parse_args(argv)
    texts: dict[str, str] = {}
    with open(args.path, encoding="utf-8") as f:
        for line in f:
            if len(texts) >= args.limit:
                break
            if line.strip():
                texts[str(len(texts))] = json.loads(line)["text"]
    from relkit_keywords.analysis import KeywordsAnalysis

    corpus = Corpus.from_texts(texts)
    del texts
    analysis = KeywordsAnalysis()
    ctx = Context(Params({p.name: p.default for p in KeywordsAnalysis.parameters}), analysis="keywords")
    packed_private, packed_report = [], []
    for doc in corpus:
        r = analysis.analyze_document(doc, ctx)
        packed_private.append(json.dumps({k: v for k, v in r.items() if k.startswith("_")}))
        packed_report.append(json.dumps({"id": doc.id, **{k: v for k, v in r.items() if not k.startswith("_")}}))
        doc.drop_features()
    peak_docs = peak_mb()
    private, private_mb = decoded_mb(packed_private)
    report, report_mb = decoded_mb(packed_report)
    del packed_private, packed_report
    documents = [{**b, **a} for a, b in zip(private, report)]
    del private, report
    gc.collect()
    from relkit_keywords.keyness import p_value

    p_value(1.0)  # scipy's chi2 imported before timing (one-off)
    t0 = time.process_time()
    analysis.analyze_corpus(corpus, ctx, documents)
    corpus_s = time.process_time() - t0
    n = len(corpus)
    print(f"{n:,} texts, keywords defaults, one process\n")
    print("| | value |")
    print("|---|---|")
    print(f"| private per-document state as Python objects | {private_mb:.1f} MB ({1000 * private_mb / n:.1f} MB per 1,000 texts) |")
    print(f"| report part of the per-document results (keyphrase entries) | {report_mb:.1f} MB ({1000 * report_mb / n:.1f} MB per 1,000 texts) |")
    print(f"| corpus step (analyze_corpus) | {corpus_s:.2f} CPU s ({1000 * corpus_s / n:.2f} ms a text) |")
    print(f"| peak RSS after the per-document phase / after the corpus step | {peak_docs:.0f} / {peak_mb():.0f} MB |")
    print("\ncommand: python " + " ".join(["benchmarks/mem_keywords.py", *(argv if argv is not None else sys.argv[1:])]))


if __name__ == "__main__":
    main()
