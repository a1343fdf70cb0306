"""CPU time of readability's corpus part alone (``analyze_corpus``), against the plugin at a
git revision, in one process.

On the first N texts of a JSON Lines corpus: load, segment and run the working tree's
per-document part on every text, each result packed and read back as the runner does
(``cache.encode_entry`` / ``decode_entry``); then ``analyze_corpus`` over those results,
the working tree's and (``--baseline REV``) the plugin's as committed at REV, alternating,
``--reps`` times each, after ``gc.collect()``. The report JSON of both must be the same.

``--gc runner`` times it as ``relkit analyze`` runs it (everything loaded frozen out of the
collector's sight, the young-generation threshold raised: ``collector.GC_THRESHOLD``);
``--gc default`` with Python's defaults, as ``bench_readability.py``'s stage table does.

Usage:
    python benchmarks/bench_readability_corpus.py ../shared/bench/news.jsonl --n 20000 --baseline dada958
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def baseline_class(rev: str):
    """``ReadabilityAnalysis`` as committed at ``rev``, imported under another package name."""
    tmp = tempfile.mkdtemp(prefix="readability-base-")
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "plugins/relkit_readability"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tf:
        tf.extractall(tmp)
    path = Path(tmp) / "plugins" / "relkit_readability"
    spec = importlib.util.spec_from_file_location("relkit_readability_base", path / "__init__.py",
                                                  submodule_search_locations=[str(path)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.ReadabilityAnalysis


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="JSON Lines with a text field (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--n", type=int, default=20000, help="first N texts (default 20000)")
    ap.add_argument("--reps", type=int, default=5, help="timed calls per version (default 5)")
    ap.add_argument("--baseline", help="git revision of the plugin to compare with (e.g. HEAD~1)")
    ap.add_argument("--gc", choices=("default", "runner"), default="default")
    ap.add_argument("--group-by", default=None, help="the group_by parameter")
    args = ap.parse_args(argv)

    from relkit import Context, Params, load_corpus
    from relkit.cache import decode_entry, encode_entry
    from relkit.collector import GC_THRESHOLD
    from relkit_readability import ReadabilityAnalysis

    with open(args.path, encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, args.n))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as tmp:
        tmp.writelines(lines)
        tmp.flush()
        corpus = load_corpus(tmp.name)
    versions = {"working tree": ReadabilityAnalysis()}
    if args.baseline:
        versions = {args.baseline: baseline_class(args.baseline)(), **versions}
    a = versions["working tree"]
    values = {p.name: p.default for p in a.parameters}
    values["group_by"] = args.group_by
    ctx = Context(Params(values), "readability")
    documents = []
    for d in corpus:
        r = a.analyze_document(d, ctx)
        documents.append({"id": d.id, **decode_entry(encode_entry(d.id, r, []), d.id)[0]})
        d.drop_features()
    if args.gc == "runner":
        gc.freeze()
        gc.set_threshold(max(gc.get_threshold()[0], GC_THRESHOLD), *gc.get_threshold()[1:])

    times: dict[str, list[float]] = {name: [] for name in versions}
    reports: dict[str, str] = {}
    names = list(versions)
    for i in range(args.reps):
        for name in names if i % 2 == 0 else names[::-1]:
            gc.collect()
            c0 = time.process_time()
            out = versions[name].analyze_corpus(corpus, ctx, documents)
            times[name].append(time.process_time() - c0)
            reports.setdefault(name, json.dumps(out))
            del out
    same = len(set(reports.values())) == 1
    print(f"First {len(corpus):,} texts of {Path(args.path).name}: readability's corpus part (analyze_corpus), "
          f"CPU s per call, {args.reps} calls per version alternating, gc={args.gc}, group_by={args.group_by}.\n")
    print("| plugin | median CPU s | min CPU s |")
    print("|---|---|---|")
    for name in names:
        ts = sorted(times[name])
        print(f"| {name} | {ts[len(ts) // 2]:.2f} | {ts[0]:.2f} |")
    if args.baseline:
        med = {n: sorted(t)[len(t) // 2] for n, t in times.items()}
        print(f"\nSpeed-up (medians): {med[args.baseline] / med['working tree']:.2f}×; same report JSON: {same}")
    print("\nCommand: `python benchmarks/bench_readability_corpus.py " + " ".join(sys.argv[1:] if argv is None else argv) + "`")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
