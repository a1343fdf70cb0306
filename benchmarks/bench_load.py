"""Loading and cleaning a JSON Lines corpus, with and without the run's collector settings.

``load_corpus`` runs under ``relkit.collector.quiet_collector`` (what exists frozen out of
the collector's sight, young collections every 50,000 allocations instead of 700). This
times it both ways on the first N texts, alternating, in one process, and prints the CPU
seconds of each round and the medians.

Usage:
    python benchmarks/bench_load.py ../shared/bench/news.jsonl --n 20000 --reps 5
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import os
import statistics
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="JSON Lines with a text field (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--n", type=int, default=20000, help="first N texts (default 20000)")
    ap.add_argument("--reps", type=int, default=5, help="rounds of (default settings, run settings)")
    args = ap.parse_args(argv)

    from relkit import load_corpus, loaders

    with open(args.path, encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, args.n))
    tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    tmp.writelines(lines)
    tmp.close()
    quiet = loaders.quiet_collector
    times: dict[str, list[float]] = {"Python's defaults": [], "the run's settings": []}
    try:
        load_corpus(tmp.name)  # plugins and loaders imported once, outside the timings
        for _ in range(args.reps):
            for label, manager in (("Python's defaults", contextlib.nullcontext), ("the run's settings", quiet)):
                loaders.quiet_collector = manager
                gc.collect()
                t0 = time.process_time()
                corpus = load_corpus(tmp.name)
                times[label].append(time.process_time() - t0)
                del corpus
    finally:
        loaders.quiet_collector = quiet
        os.unlink(tmp.name)
    print(f"load_corpus on the first {len(lines):,} texts of {os.path.basename(args.path)}, CPU s per round:\n")
    print("| collector | rounds | median |")
    print("|---|---|---|")
    for label, ts in times.items():
        print(f"| {label} | {' / '.join(f'{t:.2f}' for t in ts)} | {statistics.median(ts):.2f} |")
    print("\nCommand: `python benchmarks/bench_load.py " + " ".join(sys.argv[1:] if argv is None else argv) + "`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
