"""Evaluate the topics analysis against gensim LdaModel and tomotopy LDA on labelled news.

    python benchmarks/eval_topics.py ../shared/eval/bbc.jsonl

Every model gets the same vocabulary and the same tokenised texts: the term lists the
``topics`` analysis builds from relkit's shared tokens (stopwords, numbers and punctuation
dropped, collocation bigrams merged, document-frequency filtered).  For each model:

* NPMI: gensim ``CoherenceModel(coherence="c_npmi", topn=10)`` on those texts with the
  window set to the longest text, i.e. document co-occurrence (the same definition the
  plugin reports); relkit's own NPMI on the same top terms is shown beside it for relkit;
* diversity: unique terms among all topics' top 10 / (10 k);
* NMI and ARI of each document's dominant topic against its category.

k = 5 (the number of categories) and k = auto: relkit chooses its own k; the peers are
fitted at the k relkit's default chose.  Prints a markdown table and the command.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _topics_common import fit_gensim, fit_tomotopy, read_jsonl, term_states  # noqa: E402
from relkit_topics import pipeline  # noqa: E402
from relkit_topics.metrics import npmi_topics  # noqa: E402


def gensim_npmi(tops: list[list[str]], texts: list[list[str]]) -> float:
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = Dictionary(texts)
    window = max(len(t) for t in texts)
    cm = CoherenceModel(topics=tops, texts=texts, dictionary=dictionary, coherence="c_npmi", topn=10,
                        window_size=window, processes=1)
    return float(cm.get_coherence())


def scores(tops, theta, labels, texts):
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = [i for i, t in enumerate(texts) if t]
    dom = theta[rows].argmax(axis=1)
    y = [labels[i] for i in rows]
    total = sum(len(t) for t in tops)
    return {
        "npmi": gensim_npmi(tops, texts),
        "diversity": len({w for t in tops for w in t}) / total,
        "nmi": normalized_mutual_info_score(y, dom),
        "ari": adjusted_rand_score(y, dom),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="labelled JSONL (e.g. ../shared/eval/bbc.jsonl)")
    ap.add_argument("--label-field", default="category")
    ap.add_argument("--k", type=int, default=5, help="fixed k to compare at (default 5, BBC's categories)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gensim-passes", type=int, default=10)
    ap.add_argument("--tomotopy-iterations", type=int, default=1000)
    ap.add_argument("--no-relkit-lda", action="store_true", help="skip relkit's lda method")
    ap.add_argument("--relkit-lda-auto", action="store_true",
                    help="also run relkit's lda with k=auto (slow: every candidate k is fitted 3 times)")
    args = ap.parse_args(argv)

    records = read_jsonl(args.path)
    labels = [str(r.get(args.label_field)) for r in records]
    states = term_states(records)
    rows = []

    def relkit_row(method: str, k, name: str):
        t0 = time.process_time()
        mr = pipeline.run(states, pipeline.Settings(method=method, k=k, random_state=args.seed), warn=lambda m: print("warning:", m, file=sys.stderr))
        secs = time.process_time() - t0
        texts = mr.vocab.doc_terms
        tops = mr.top_terms(10)
        s = scores(tops, mr.fit.doc_topic, labels, texts)
        own = [c for c in npmi_topics(mr.vocab.binary(), [[mr.vocab.index[w] for w in t] for t in tops], mr.vocab.n_docs) if c is not None]
        s["own_npmi"] = sum(own) / len(own)
        s["stability"] = float(np.mean(mr.stability)) if mr.stability else None
        rows.append((name, k if k != "auto" else f"auto→{mr.k}", s, secs))
        return mr

    # Default first: its vocabulary and texts are the ones every model gets.
    base = relkit_row("nmf", args.k, "relkit topics (nmf, default)")
    texts = base.vocab.doc_terms
    if not args.no_relkit_lda:
        relkit_row("lda", args.k, "relkit topics (method=lda)")
    for name, fitter in (
        ("gensim LdaModel", lambda k: fit_gensim(texts, k, args.seed, args.gensim_passes)),
        ("tomotopy LDAModel", lambda k: fit_tomotopy(texts, k, args.seed, args.tomotopy_iterations, workers=1)),
    ):
        c0 = time.process_time()
        tops, theta, _ = fitter(args.k)
        rows.append((name, args.k, scores(tops, theta, labels, texts), time.process_time() - c0))

    auto = relkit_row("nmf", "auto", "relkit topics (nmf, default)")
    if args.relkit_lda_auto:
        relkit_row("lda", "auto", "relkit topics (method=lda)")
    for name, fitter in (
        ("gensim LdaModel", lambda k: fit_gensim(texts, k, args.seed, args.gensim_passes)),
        ("tomotopy LDAModel", lambda k: fit_tomotopy(texts, k, args.seed, args.tomotopy_iterations, workers=1)),
    ):
        c0 = time.process_time()
        tops, theta, _ = fitter(auto.k)
        rows.append((name, f"{auto.k} (relkit's auto)", scores(tops, theta, labels, texts), time.process_time() - c0))

    v = base.vocab.describe()
    print(f"Topics on {os.path.basename(args.path)}: {len(records)} documents, {v['terms']} terms "
          f"({v['bigram_terms']} bigrams), {v['tokens']} tokens; same texts and vocabulary for every model.\n")
    print("| model | k | NPMI (gensim c_npmi) | NPMI (relkit) | diversity | NMI | ARI | stability | CPU seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, k, s, secs in rows:
        own = f"{s['own_npmi']:.3f}" if "own_npmi" in s else "—"
        stab = f"{s['stability']:.2f}" if s.get("stability") is not None else "—"
        print(f"| {name} | {k} | {s['npmi']:.3f} | {own} | {s['diversity']:.3f} | {s['nmi']:.3f} | {s['ari']:.3f} | {stab} | {secs:.1f} |")
    print(f"\ngensim LdaModel: passes={args.gensim_passes}, iterations=100, alpha=eta='auto'; tomotopy: "
          f"{args.tomotopy_iterations} Gibbs iterations (workers=1, reproducible); seed {args.seed}. relkit's CPU seconds include the k sweep and "
          "3 stability refits; peers' are one fit (dictionary and corpus building included).")
    cmd = " ".join(["python", "benchmarks/eval_topics.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"\nCommand: `{cmd}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
