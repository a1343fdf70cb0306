"""Speed of the topics analysis against gensim LdaModel and tomotopy LDA.

    python benchmarks/bench_topics.py ../shared/bench/news.jsonl --n 20000

One run each, on the first N texts.  All models get the same term lists (the analysis's
own vocabulary); the shared tokenisation (relkit's per-document part) is timed once and
reported separately, since every model needs the texts tokenised.  Timed:

* relkit default: the whole corpus part of ``topics`` with default parameters (k=auto
  sweep, NPMI, 3 stability refits): vocabulary, bigrams, fits and diagnostics;
* relkit at fixed k (same defaults otherwise, stability refits included);
* gensim LdaModel (passes=10, iterations=100, alpha/eta auto) and tomotopy LDAModel
  (1000 Gibbs iterations, its default workers = all cores) at the same fixed k.

Prints a markdown table with ratios to relkit's default and the command.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _topics_common import fit_gensim, fit_tomotopy, read_jsonl, term_states  # noqa: E402
from relkit_topics import pipeline  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="JSONL with a text field (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--n", type=int, default=20000, help="first N texts (default 20000)")
    ap.add_argument("--k", type=int, default=20, help="fixed k for relkit's fixed run and the peers (default 20)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gensim-passes", type=int, default=10)
    ap.add_argument("--tomotopy-iterations", type=int, default=1000)
    args = ap.parse_args(argv)

    records = read_jsonl(args.path, args.n)
    t0 = time.perf_counter()
    states = term_states(records)
    tokenise = time.perf_counter() - t0
    rows = []

    def warn(m):
        print("warning:", m, file=sys.stderr)

    def timed(name, f):
        t0, c0 = time.perf_counter(), time.process_time()
        value = f()
        rows.append((name, time.perf_counter() - t0, time.process_time() - c0))
        return value

    auto = timed("relkit topics, default (nmf, k=auto, 3 stability refits)",
                 lambda: pipeline.run(states, pipeline.Settings(random_state=args.seed), warn=warn))
    rows[-1] = (rows[-1][0].replace("k=auto", f"k=auto→{auto.k}"),) + rows[-1][1:]
    fixed = timed(f"relkit topics, nmf, k={args.k} (3 stability refits)",
                  lambda: pipeline.run(states, pipeline.Settings(k=args.k, random_state=args.seed), warn=warn))
    texts = fixed.vocab.doc_terms
    timed(f"gensim LdaModel, k={args.k}", lambda: fit_gensim(texts, args.k, args.seed, args.gensim_passes))
    timed(f"tomotopy LDAModel, k={args.k} (all cores)", lambda: fit_tomotopy(texts, args.k, args.seed, args.tomotopy_iterations))

    base = rows[0][1]
    v = fixed.vocab.describe()
    print(f"First {len(records)} texts of {os.path.basename(args.path)}: {v['terms']} terms, {v['tokens']} tokens; "
          f"relkit's shared tokenisation and term extraction (done once, for every model): {tokenise:.1f} s.\n")
    print("| model | wall seconds | × relkit default | CPU seconds |")
    print("|---|---|---|---|")
    for name, secs, cpu in rows:
        print(f"| {name} | {secs:.1f} | {secs / base:.2f} | {cpu:.1f} |")
    cmd = " ".join(["python", "benchmarks/bench_topics.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"\nOne run each, {os.cpu_count()} cores. Command: `{cmd}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
