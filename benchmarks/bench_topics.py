"""Speed of the topics analysis against gensim LdaModel and tomotopy LDA.

    python benchmarks/bench_topics.py ../shared/bench/news.jsonl --n 20000

One run each, on the first N texts.  All models get the same term lists (the analysis's
own vocabulary); the shared tokenisation (relkit's per-document part) is timed once and
reported separately, since every model needs the texts tokenised.  Timed:

* relkit default: the whole corpus part of ``topics`` as ``relkit analyze`` runs it, with
  default parameters (vocabulary and bigrams, k=auto sweep, fit, NPMI, 3 stability
  refits, labels, FREX terms, representative documents with evidence, document entries);
* relkit at fixed k (same defaults otherwise, stability refits included);
* gensim LdaModel (passes=10, iterations=100, alpha/eta auto) and tomotopy LDAModel
  (1000 Gibbs iterations, its default workers = all cores) at the same fixed k, fitted on
  the term lists (their own dictionary/corpus building included).

The machine may be shared: CPU seconds (this process, all threads) are the steadier
figure, and ratios are given for both.  Prints a markdown table and the command.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _topics_common import corpus_part, fit_gensim, fit_tomotopy, read_jsonl, term_states  # noqa: E402
from relkit_topics.vectorize import prepare  # noqa: E402


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
    states, docs = term_states(records, keep_documents=True)
    tokenise = time.perf_counter() - t0
    rows = []

    def timed(name, f):
        t0, c0 = time.perf_counter(), time.process_time()
        value = f()
        rows.append((name, time.perf_counter() - t0, time.process_time() - c0))
        return value

    auto = timed("relkit topics, default (nmf, k=auto, 3 stability refits)",
                 lambda: corpus_part(docs, states, {"random_state": args.seed}))
    k_auto = auto["model"]["k"]
    rows[-1] = (rows[-1][0].replace("k=auto", f"k=auto→{k_auto}"),) + rows[-1][1:]
    timed(f"relkit topics, nmf, k={args.k} (3 stability refits)",
          lambda: corpus_part(docs, states, {"k": args.k, "random_state": args.seed}))
    vocab = prepare(states)  # the vocabulary both relkit runs used (default parameters), for the peers
    texts = vocab.doc_terms
    timed(f"gensim LdaModel, k={args.k}", lambda: fit_gensim(texts, args.k, args.seed, args.gensim_passes))
    timed(f"tomotopy LDAModel, k={args.k} (all cores)", lambda: fit_tomotopy(texts, args.k, args.seed, args.tomotopy_iterations))

    base_wall, base_cpu = rows[0][1], rows[0][2]
    v = vocab.describe()
    print(f"First {len(records)} texts of {os.path.basename(args.path)}: {v['terms']} terms, {v['tokens']} tokens; "
          f"relkit's shared tokenisation and term extraction (done once, for every model): {tokenise:.1f} s.\n")
    print("| model | CPU seconds | × relkit default (CPU) | wall seconds | × relkit default (wall) |")
    print("|---|---|---|---|---|")
    for name, secs, cpu in rows:
        print(f"| {name} | {cpu:.1f} | {cpu / base_cpu:.2f} | {secs:.1f} | {secs / base_wall:.2f} |")
    cmd = " ".join(["python", "benchmarks/bench_topics.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"\nOne run each, {os.cpu_count()} cores. Command: `{cmd}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
