"""Peak memory of the rhetoric corpus-level step, run as ``relkit analyze -o DIR`` runs it.

    python benchmarks/mem_rhetoric.py ../shared/bench/news.jsonl --sizes 5000 20000 --baseline HEAD~1

Runs ``analyze_document`` once on each of the first N texts and packs each result as the
runner does (``cache.encode_entry``); ``--blobs FILE`` keeps them for the next run.  Then,
for each size and each code version (``--baseline REV``: the plugin as committed at REV,
then the working tree), a forked process runs the runner's own corpus step
(``runner._corpus_child``: decode 1,000 at a time, ``analyze_corpus``, strip private
keys, render the report text, pack the exact result for the cache) and reports the
process's growth in resident memory over the fork, peak and per stage (the kernel's
high-water mark, reset between stages), its CPU seconds, and digests of the report text
and the exact entry (equal digests: byte-identical output).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from relkit import Context, Corpus, Params  # noqa: E402
from relkit import runner  # noqa: E402
from relkit.cache import encode_entry  # noqa: E402


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:  # "5": reset the peak RSS (VmHWM) to the current RSS
        fh.write("5")


def load_texts(path: str, n: int) -> dict[str, str]:
    texts: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(texts) >= n:
                break
            if line.strip():
                texts[str(len(texts))] = json.loads(line)["text"]
    return texts


def analysis_class(name: str):
    """The built-in analysis ``name`` (default rhetoric; the others for comparison, without
    the rhetoric-only variants)."""
    import importlib

    from relkit import Analysis

    mod = importlib.import_module(f"relkit_{name}.analysis")
    return next(c for c in vars(mod).values() if isinstance(c, type) and issubclass(c, Analysis)
                and c is not Analysis and getattr(c, "name", "") == name)


ANALYSIS = "rhetoric"


def per_document(corpus: Corpus, params: Params) -> list[bytes]:
    a = analysis_class(ANALYSIS)()
    blobs = []
    for i, doc in enumerate(corpus):
        ctx = Context(params, ANALYSIS)
        r = a.analyze_document(doc, ctx)
        blobs.append(encode_entry(f"k{i}", r, ctx.warnings))
        doc.drop_features()
    return blobs


def baseline_dir(rev: str) -> str:
    """The plugin's files as committed at ``rev``, in a temporary directory."""
    tmp = tempfile.mkdtemp(prefix="rhetoric-base-")
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, f"plugins/relkit_{ANALYSIS}"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tf:
        tf.extractall(tmp)
    return str(Path(tmp) / "plugins")


def encode_entry_per_item(key, result, warnings=(), exact_keys=False, by_item=True):
    """``cache.encode_entry`` writing the exact entry one item at a time (what the runner now
    does itself on its fast path; kept as a flag to compare against older measurements)."""
    return encode_entry(key, result, warnings, exact_keys=exact_keys, by_item=not exact_keys)


def child(corpus: Corpus, blobs: list[bytes], params: Params, plugins_dir: str | None, trace: bool,
          stream_exact: bool, compact_decoded: bool = False) -> dict:
    """In the forked process: the runner's corpus step with a mark after each stage."""
    if compact_decoded:  # what the step would hold if the runner let the plugin compact each batch as decoded
        from relkit_rhetoric.compact import compact

        plain_decode = runner.decode_entries

        def decode_compacted(blobs, keys):
            out = plain_decode(blobs, keys)
            for entry in out:
                if entry is not None:
                    compact(entry[0])
            return out

        runner.decode_entries = decode_compacted
    if stream_exact:  # what the runner would hold if it packed the exact entry piece by piece
        runner.encode_entry = encode_entry_per_item
    if plugins_dir is not None:
        for m in [m for m in sys.modules if m.startswith(f"relkit_{ANALYSIS}")]:
            del sys.modules[m]
        sys.path.insert(0, plugins_dir)
    RhetoricAnalysis = analysis_class(ANALYSIS)  # noqa: N806

    if trace:
        import tracemalloc

        tracemalloc.start()
    start = _status_kb("VmRSS:")
    _reset_peak()
    stages: list[tuple[str, int, int, int]] = []
    cpu: dict[str, float] = {}

    def mark(name: str) -> None:
        traced = 0
        if trace:
            import tracemalloc

            traced = tracemalloc.get_traced_memory()[0]
        stages.append((name, _status_kb("VmHWM:") - start, _status_kb("VmRSS:") - start, traced))
        _reset_peak()

    def staged(name, fn):
        def wrapper(*a, **k):
            t0 = time.process_time()
            out = fn(*a, **k)
            cpu[name] = cpu.get(name, 0.0) + time.process_time() - t0
            mark(name)
            return out
        return wrapper

    runner._unpack = staged("decode per-document results", runner._unpack)
    RhetoricAnalysis.analyze_corpus = staged("analyze_corpus", RhetoricAnalysis.analyze_corpus)
    runner.render = staged("render the report text", runner.render)
    runner.encode_entry = staged("pack the exact result", runner.encode_entry)
    j = runner._Job(ANALYSIS, RhetoricAnalysis, params, f"relkit_{ANALYSIS}")
    j.instance = RhetoricAnalysis()
    j.results = list(blobs)
    j.entry_keys = [f"k{i}" for i in range(len(blobs))]
    j.corpus_key = "corpus"
    runner._corpus_work = ([j], corpus, None, True)
    t0 = time.process_time()
    out = runner._corpus_child(0)
    total_cpu = time.process_time() - t0
    if out.get("error"):
        raise RuntimeError(out["error"], out["traceback"])
    report = zlib.decompress(out["report"])[out["skip"]:]
    exact = zlib.decompress(out["exact"])
    return {"stages": stages, "cpu": cpu, "total_cpu": total_cpu, "report_sha": hashlib.sha256(report).hexdigest()[:16],
            "report_mb": len(report) / 2**20, "exact_sha": hashlib.sha256(exact).hexdigest()[:16]}


def forked(*args) -> dict:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            res = child(*args)
        except BaseException as e:  # noqa: BLE001
            import traceback

            res = {"crash": f"{e}\n{traceback.format_exc()}"}
        with os.fdopen(w, "wb") as fh:
            pickle.dump(res, fh)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        res = pickle.load(fh)
    os.waitpid(pid, 0)
    if "crash" in res:
        raise SystemExit(res["crash"])
    return res


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="news.jsonl (field text)")
    ap.add_argument("--analysis", default="rhetoric", help="another built-in's corpus step, for comparison (no --compact-decoded)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    ap.add_argument("--baseline", help="git revision of the plugin to compare with (e.g. HEAD~1)")
    ap.add_argument("--group-by", default=None, help="the group_by parameter (the bench texts have no metadata: one group)")
    ap.add_argument("--blobs", help="file keeping the packed per-document results between runs")
    ap.add_argument("--stream-exact", action="store_true",
                    help="also a run of the working tree with the runner packing the exact entry one list item "
                         "at a time (encode_entry_per_item) instead of with one json.dumps")
    ap.add_argument("--compact-decoded", action="store_true",
                    help="also runs of the working tree with each batch of decoded results compacted "
                         "(relkit_rhetoric.compact) as the runner decodes it, alone and with --stream-exact's change")
    ap.add_argument("--tracemalloc", action="store_true", help="also the Python objects alive after each stage (slow)")
    args = ap.parse_args(argv)
    global ANALYSIS
    ANALYSIS = args.analysis
    RhetoricAnalysis = analysis_class(ANALYSIS)  # noqa: N806

    n = max(args.sizes)
    corpus = Corpus.from_texts(load_texts(args.path, n))
    defaults = {p.name: p.default for p in RhetoricAnalysis.parameters}
    blobs = None
    if args.blobs and os.path.exists(args.blobs):
        with open(args.blobs, "rb") as fh:
            blobs = pickle.load(fh)
        if len(blobs) < n:
            blobs = None
    if blobs is None:
        t0 = time.process_time()
        blobs = per_document(corpus, Params(defaults))
        print(f"per-document part: {time.process_time() - t0:.1f} CPU s", file=sys.stderr)
        if args.blobs:
            with open(args.blobs, "wb") as fh:
                pickle.dump(blobs, fh)
    params = Params(dict(defaults, group_by=args.group_by) if "group_by" in defaults else defaults)
    versions = [("working tree", None, False, False)]
    if args.baseline:
        versions.insert(0, (args.baseline, baseline_dir(args.baseline), False, False))
    if args.stream_exact:
        versions.append(("working tree, exact entry packed per item", None, True, False))
    if args.compact_decoded:
        versions.append(("working tree, results compacted as decoded", None, False, True))
        versions.append(("working tree, both", None, True, True))
    # as run_analyses leaves the collector during a run
    gc.collect()
    gc.freeze()
    gc.set_threshold(runner.GC_THRESHOLD, *gc.get_threshold()[1:])
    rows = []
    for size in args.sizes:
        sub = Corpus(corpus.documents[:size])
        for label, plugins_dir, stream, compacted in versions:
            res = forked(sub, blobs[:size], params, plugins_dir, args.tracemalloc, stream, compacted)
            rows.append((size, label, res))
            print(f"{size} {label}: peak {max(s[1] for s in res['stages']) / 1024:.0f} MB", file=sys.stderr)
    mb = lambda kb: f"{kb / 1024:,.0f}"  # noqa: E731
    print(f"{ANALYSIS} corpus-level step (runner._corpus_child, report text and exact entry), group_by={args.group_by}\n")
    print("| texts | code | peak growth MB | " + " | ".join(s[0] + " (peak / after)" for s in rows[0][2]["stages"])
          + " | CPU s | report MB | report sha256 | exact sha256 |")
    print("|---:|---|---:|" + "---:|" * len(rows[0][2]["stages"]) + "---:|---:|---|---|")
    for size, label, res in rows:
        cells = [f"{mb(p)} / {mb(a)}" + (f" ({t / 2**20:,.0f} traced)" if t else "") for _, p, a, t in res["stages"]]
        print(f"| {size:,} | {label} | {mb(max(s[1] for s in res['stages']))} | " + " | ".join(cells)
              + f" | {res['total_cpu']:.1f} | {res['report_mb']:,.0f} | {res['report_sha']} | {res['exact_sha']} |")
    print("\ncommand: python " + " ".join(["benchmarks/mem_rhetoric.py", *(argv if argv is not None else sys.argv[1:])]))


if __name__ == "__main__":
    main()
