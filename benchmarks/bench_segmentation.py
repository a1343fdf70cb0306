"""CPU time of relkit's shared segmentation (``relkit.text.segment``), optionally against an older revision.

On the first N texts of a JSON Lines corpus (default 20,000 of ``bench/news.jsonl``), each
text is loaded and cleaned once (not timed); then ``segment(text, regions)`` runs over all of
them, twice per round: results dropped at once, and results kept until the round ends (as an
analysis run keeps them; the garbage collector then walks the live tokens).  With
``--baseline REV`` the ``src/relkit/text.py`` of that git revision is loaded as a second
module and timed in the same rounds, alternating, and the outputs are compared text by text.
The best of ``--rounds`` rounds is reported (the machine is shared: CPU seconds, not wall).

Usage:
    python benchmarks/bench_segmentation.py ../shared/bench/news.jsonl --n 20000 --baseline HEAD~1
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import relkit
from relkit import text as current

ROOT = Path(__file__).resolve().parent.parent


def load(path: str, n: int) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    with open(path, encoding="utf-8") as fh, tempfile.TemporaryDirectory() as tmp:
        head = Path(tmp) / "head.jsonl"
        head.write_text("".join(itertools.islice(fh, n)), encoding="utf-8")
        corpus = relkit.load_corpus(str(head))
        return [(d.text, tuple(d.regions)) for d in corpus]


def module_at(rev: str):
    src = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:src/relkit/text.py"], capture_output=True, text=True, check=True
    ).stdout
    spec = importlib.util.spec_from_loader("relkit._text_baseline", loader=None)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    mod.__package__ = "relkit"  # its relative imports (.stopwords) resolve in the installed package
    sys.modules[mod.__name__] = mod  # dataclasses look the module up by name
    exec(compile(src, f"{rev}:src/relkit/text.py", "exec"), mod.__dict__)
    return mod


def cpu_of(segment, docs, keep: bool) -> float:
    gc.collect()
    t0 = time.process_time()
    if keep:
        kept = [segment(text, regions) for text, regions in docs]
    else:
        for text, regions in docs:
            segment(text, regions)
    dt = time.process_time() - t0
    if keep:
        del kept
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="JSON Lines file with a text field")
    ap.add_argument("--n", type=int, default=20000, help="first N texts (default 20000)")
    ap.add_argument("--baseline", metavar="REV", help="also time src/relkit/text.py of this git revision")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    docs = load(args.path, args.n)
    mods = [("working tree", current)]
    if args.baseline:
        mods.insert(0, (args.baseline, module_at(args.baseline)))
    tokens = 0
    for name, mod in mods:  # warm the form caches (first sight of every surface) and check equality
        out = [mod.segment(text, regions) for text, regions in docs]
        tokens = sum(len(f.tokens) for f in out)
        if name != "working tree":
            ref = [repr((f.sentences, f.tokens)) for f in out]
        elif args.baseline:
            same = sum(a == repr((b.sentences, b.tokens)) for a, b in zip(ref, out))
            print(f"identical output on {same:,} of {len(docs):,} texts")
            del ref  # no live tokens but the timed ones: the collector's work depends on them
        del out
    # Timed: segment() alone.  Since TokenColumns, Token tuples are built only when an
    # analysis reads ``tokens``; the equality check above builds them for both.
    best: dict[tuple[str, bool], float] = {}
    for _ in range(args.rounds):
        for name, mod in mods:
            for keep in (False, True):
                dt = cpu_of(mod.segment, docs, keep)
                best[name, keep] = min(dt, best.get((name, keep), dt))

    print(f"\n{len(docs):,} texts, {tokens:,} tokens; CPU seconds, best of {args.rounds} rounds\n")
    print("| segmentation | results dropped | results kept | µs per text (dropped) |")
    print("| --- | ---: | ---: | ---: |")
    for name, _mod in mods:
        d, k = best[name, False], best[name, True]
        print(f"| {name} | {d:.2f} | {k:.2f} | {d / len(docs) * 1e6:.0f} |")
    if args.baseline:
        b, c = args.baseline, "working tree"
        print(
            f"| speed-up | {best[b, False] / best[c, False]:.2f}x | {best[b, True] / best[c, True]:.2f}x | |"
        )
    print(f"\ncommand: python benchmarks/bench_segmentation.py {args.path} --n {args.n}"
          + (f" --baseline {args.baseline}" if args.baseline else "") + f" --rounds {args.rounds}")


if __name__ == "__main__":
    main()
