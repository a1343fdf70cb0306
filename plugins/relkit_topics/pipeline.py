"""The whole modelling run on prepared term state: vocabulary, k, fit, diagnostics.

Used by the ``topics`` analysis and by the evaluation and benchmark scripts, so the
figures they publish are those of the analysis itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .metrics import exclusivity, frex, match_topics, npmi_topics, diversity, top_indices
from .models import DEFAULT_MAX_ITER, Fit, fit_model
from .selection import CRITERION, CRITERION_NO_STABILITY, SweepPoint, k_grid, k_upper_bound, sweep
from .vectorize import Vocabulary, prepare, tfidf

__all__ = ["Settings", "ModelRun", "run", "MIN_DOCUMENTS", "COHERENCE_TERMS", "STABILITY_SAMPLE"]

MIN_DOCUMENTS = 3  # documents with vocabulary terms needed to model topics at all
MIN_TERMS = 2
COHERENCE_TERMS = 10
STABILITY_SAMPLE = 0.8
SWEEP_STABILITY_RUNS = 2  # refits per candidate k in the k=auto sweep (the chosen k gets stability_runs)
# Iteration limit of the sweep's fits (candidates and their refits), below the model's
# own: ranking candidates needs their top terms, not a converged solution.  The chosen k
# is refitted with the full limit unless its sweep fit already stopped on tolerance.
SWEEP_MAX_ITER = {"nmf": 30}


@dataclass(frozen=True)
class Settings:
    method: str = "nmf"
    k: int | str = "auto"
    k_min: int = 2
    k_max: int = 30
    min_df: int | str = "auto"
    max_df: float = 0.5
    max_terms: int | None = 20000
    bigrams: bool = True
    bigram_min_count: int = 3
    bigram_threshold: float = 0.4
    stability_runs: int = 3
    sweep_sample: int | None = 5000
    max_iter: int | None = None
    random_state: int = 0

    @classmethod
    def from_params(cls, params: Any) -> "Settings":
        names = cls.__dataclass_fields__.keys()
        return cls(**{n: params[n] for n in names if n in params})


@dataclass
class ModelRun:
    settings: Settings
    vocab: Vocabulary
    fit: Fit | None = None
    k_mode: str = "auto"
    candidates: list[int] = field(default_factory=list)
    points: list[SweepPoint] = field(default_factory=list)
    top: list[list[int]] = field(default_factory=list)  # top-10 term indices per topic
    coherence: list[float | None] = field(default_factory=list)
    exclusivity: list[float] = field(default_factory=list)
    stability: list[float] | None = None
    stability_runs: list[float] = field(default_factory=list)
    degenerate: str | None = None
    criterion: str = ""
    sweep_documents: int = 0

    @property
    def k(self) -> int:
        return self.fit.k if self.fit else 0

    @property
    def mean_coherence(self) -> float | None:
        vals = [c for c in self.coherence if c is not None]
        return sum(vals) / len(vals) if vals else None

    @property
    def diversity(self) -> float | None:
        return diversity(self.top) if self.top else None

    def top_terms(self, n: int = COHERENCE_TERMS) -> list[list[str]]:
        if self.fit is None:
            return []
        return [[self.vocab.terms[i] for i in t] for t in top_indices(self.fit.topic_term, n)]


def run(docs_sentences: Sequence[Sequence[Sequence[Any]]], settings: Settings, warn: Callable[[str], None] = lambda m: None) -> ModelRun:
    s = settings
    vocab = prepare(
        docs_sentences,
        min_df=None if s.min_df == "auto" else int(s.min_df),
        max_df=s.max_df,
        max_terms=s.max_terms,
        bigrams=s.bigrams,
        bigram_min_count=s.bigram_min_count,
        bigram_threshold=s.bigram_threshold,
    )
    out = ModelRun(s, vocab, k_mode="auto" if s.k == "auto" else "fixed")
    lengths = vocab.doc_lengths
    n_with = int((lengths > 0).sum())
    n_terms = len(vocab.terms)
    if n_with < MIN_DOCUMENTS or n_terms < MIN_TERMS:
        out.degenerate = (
            f"too little text to model topics: {n_with} document(s) with terms occurring in at least "
            f"{vocab.min_df} documents and {n_terms} such term(s) (need {MIN_DOCUMENTS} documents and "
            f"{MIN_TERMS} terms); no topics reported"
        )
        warn(out.degenerate)
        return out

    weighted = tfidf(vocab.counts) if s.method == "nmf" else None
    binary = vocab.binary()
    n_docs = vocab.n_docs

    full_iter = s.max_iter or DEFAULT_MAX_ITER[s.method]
    cap = SWEEP_MAX_ITER.get(s.method)
    sweep_iter = min(cap, full_iter) if cap else full_iter

    def fit(k: int, rows: np.ndarray | None = None, seed: int = s.random_state, max_iter: int = full_iter) -> Fit:
        if rows is None:
            return fit_model(s.method, k, counts=vocab.counts, weighted=weighted, seed=seed, max_iter=max_iter)
        return fit_model(
            s.method, k, counts=vocab.counts[rows], weighted=None if weighted is None else weighted[rows],
            seed=seed, max_iter=max_iter,
        )

    def exact(f: Fit, max_iter: int) -> bool:
        """Whether a fit with this iteration limit is the full-limit fit: it stopped on
        its tolerance before the limit (same start, same steps), or had the full limit."""
        return max_iter >= full_iter or (f.converged and f.n_iter < max_iter)

    rows_with = np.nonzero(lengths > 0)[0]
    # (pool, k) -> each refit's top-10 term indices, and whether it is a full-limit fit
    refits: dict[tuple[str, int], list[tuple[list[list[int]], bool]]] = {}

    def refit_matches(pool: np.ndarray, name: str, k: int, tops: list[list[int]], runs: int, max_iter: int = full_iter) -> list[list[float]]:
        """Refit k on 80% samples of ``pool`` (seeds random_state+1, +2, ...), match to ``tops``.
        Refits made earlier are reused when their iteration limit gives the same fit."""
        size = max(MIN_DOCUMENTS, int(math.ceil(STABILITY_SAMPLE * len(pool))))
        have = refits.setdefault((name, k), [])
        for r in range(1, runs + 1):
            if r <= len(have) and (have[r - 1][1] or max_iter < full_iter):
                continue
            rng = np.random.default_rng(s.random_state + r)
            rows = np.sort(rng.choice(pool, size=size, replace=False))
            other = fit(k, rows, seed=s.random_state + r, max_iter=max_iter)
            entry = (top_indices(other.topic_term, COHERENCE_TERMS), exact(other, max_iter))
            if r <= len(have):
                have[r - 1] = entry
            else:
                have.append(entry)
        return [match_topics(tops, other) for other, _ in have[:runs]]

    def can_resample(pool: np.ndarray) -> bool:
        return max(MIN_DOCUMENTS, int(math.ceil(STABILITY_SAMPLE * len(pool)))) < len(pool)

    bound = k_upper_bound(n_with, n_terms, s.k_max)
    if s.k == "auto":
        lo = min(s.k_min, bound)
        out.candidates = k_grid(lo, bound)
        # On large corpora k is chosen on a seeded sample of documents, then the chosen k
        # is fitted on all of them.
        sampled = s.sweep_sample is not None and len(rows_with) > s.sweep_sample
        pool = np.sort(np.random.default_rng(s.random_state).choice(rows_with, s.sweep_sample, replace=False)) if sampled else rows_with
        out.sweep_documents = int(len(pool))
        sweep_runs = min(SWEEP_STABILITY_RUNS, s.stability_runs) if can_resample(pool) else 0
        scorer = None
        if sweep_runs:
            # Unsampled, the sweep's refits are the chosen model's first refits: share them.
            pool_name = "sweep" if sampled else "all"

            def scorer(k: int, tops: list[list[int]]) -> float | None:
                return float(np.mean(refit_matches(pool, pool_name, k, tops, sweep_runs, sweep_iter))) if k > 1 else None
        out.criterion = CRITERION if sweep_runs else CRITERION_NO_STABILITY
        if sampled:
            sweep_fit = lambda k: fit(k, pool, max_iter=sweep_iter)  # noqa: E731
            out.points, best = sweep(out.candidates, sweep_fit, binary[pool], len(pool), COHERENCE_TERMS, scorer)
            chosen = fit(best.k)
        else:
            sweep_fit = lambda k: fit(k, max_iter=sweep_iter)  # noqa: E731
            out.points, best = sweep(out.candidates, sweep_fit, binary, n_docs, COHERENCE_TERMS, scorer)
            chosen = best.fit if exact(best.fit, sweep_iter) else fit(best.k)
    else:
        k = int(s.k)
        limit = min(n_with, n_terms)
        if k > limit:
            warn(f"k={k} is more than this corpus supports ({n_with} documents with terms, {n_terms} terms); using k={limit}")
            k = limit
        out.candidates = [k]
        chosen = fit(k)
    if not chosen.converged:
        warn(f"{s.method} did not converge in {chosen.n_iter} iterations (raise max_iter)")
    out.fit = chosen
    out.top = top_indices(chosen.topic_term, COHERENCE_TERMS)
    out.coherence = npmi_topics(binary, out.top, n_docs)
    excl = exclusivity(chosen.topic_term)
    out.exclusivity = [float(np.mean([excl[t, i] for i in idx])) if idx else 0.0 for t, idx in enumerate(out.top)]

    if s.stability_runs > 0 and chosen.k > 1:
        if can_resample(rows_with):
            runs = refit_matches(rows_with, "all", chosen.k, out.top, s.stability_runs)
            out.stability_runs = [float(np.mean(m)) for m in runs]
            out.stability = [float(v) for v in np.mean(np.asarray(runs), axis=0)]
        else:
            warn("corpus too small to measure stability by resampling documents; stability not reported")
    return out


def frex_terms(fit: Fit, vocab: Vocabulary, n: int) -> list[list[str]]:
    """Each topic's top terms by FREX (frequent and exclusive)."""
    f = frex(fit.topic_term)
    out = []
    for t, row in enumerate(f):
        weights = fit.topic_term[t]
        idx = [i for i in np.lexsort((np.arange(len(row)), -row)) if weights[i] > 0][:n]
        out.append([vocab.terms[int(i)] for i in idx])
    return out


