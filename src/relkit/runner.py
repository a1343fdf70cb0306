"""Runs analyses over a corpus: order, per-document parallelism, errors turned into envelopes."""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

from . import plugins
from .analysis import Analysis, Context
from .corpus import Corpus, Document
from .errors import AnalysisError, ParameterError
from .params import Params
from .report import envelope

__all__ = ["Run", "run_analyses", "select_analyses"]

Progress = Callable[[str, int, int], None]


@dataclass
class Run:
    """The outcome of one analysis: its envelope and how long it took."""

    name: str
    report: dict[str, Any]
    seconds: float
    failed: bool
    traceback: str = ""


def select_analyses(available: Sequence[str], only: Sequence[str] = (), skip: Sequence[str] = ()) -> list[str]:
    """The analyses to run, validated: unknown names in --only/--skip are errors."""
    known = set(available)
    for name in [*only, *skip]:
        if name not in known:
            raise ParameterError(f"unknown analysis {name!r} (available: {', '.join(sorted(known)) or 'none'})")
    chosen = [a for a in available if (not only or a in only) and a not in skip]
    if not chosen:
        raise ParameterError("no analyses selected")
    return chosen


# Worker state for per-document work in child processes (set once per worker).
_worker_analysis: Analysis | None = None
_worker_params: Params | None = None
_worker_name = ""


def _init_worker(cls: type[Analysis], params: Params, name: str) -> None:
    global _worker_analysis, _worker_params, _worker_name
    _worker_analysis, _worker_params, _worker_name = cls(), params, name


def _doc_task(doc: Document) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    assert _worker_analysis is not None and _worker_params is not None
    ctx = Context(_worker_params, _worker_name)
    try:
        return _worker_analysis.analyze_document(doc, ctx), ctx.warnings
    finally:
        doc.drop_features()


def _per_document(
    analysis: Analysis,
    cls: type[Analysis],
    corpus: Corpus,
    ctx: Context,
    jobs: int,
    progress: Progress | None,
    cache: Any = None,
) -> list[dict[str, Any]]:
    docs = list(corpus)
    results: list[dict[str, Any] | None] = [None] * len(docs)
    todo: list[int] = []
    for i, doc in enumerate(docs):
        hit = cache.get(cls, ctx.params, doc) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    done = len(docs) - len(todo)
    if progress:
        progress(ctx.analysis, done, len(docs))

    def finish(i: int, out: dict[str, Any], warnings: list[dict[str, Any]]) -> None:
        nonlocal done
        if not isinstance(out, dict):
            raise TypeError(f"analyze_document returned {type(out).__name__}, not a dict")
        results[i] = out
        ctx.warnings.extend(warnings)
        if cache is not None:
            cache.put(cls, ctx.params, docs[i], out)
        done += 1
        if progress:
            progress(ctx.analysis, done, len(docs))

    if jobs > 1 and len(todo) > 1:
        mp = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp, initializer=_init_worker, initargs=(cls, ctx.params, ctx.analysis)) as ex:
            chunk = max(1, min(64, len(todo) // (jobs * 8) or 1))
            for i, (out, warnings) in zip(todo, ex.map(_doc_task, [docs[i] for i in todo], chunksize=chunk)):
                finish(i, out, warnings)
    else:
        for i in todo:
            doc = docs[i]
            local = Context(ctx.params, ctx.analysis)
            try:
                out = analysis.analyze_document(doc, local)
            except Exception as e:
                raise _DocumentFailure(doc.id, e) from e
            finish(i, out, local.warnings)
    return [{"id": d.id, **r} for d, r in zip(docs, results) if r is not None]


class _DocumentFailure(Exception):
    def __init__(self, doc_id: str, error: Exception) -> None:
        super().__init__(f"on document {doc_id!r}: {type(error).__name__}: {error}")
        self.doc_id = doc_id
        self.error = error


def run_one(
    name: str,
    cls: type[Analysis],
    corpus: Corpus,
    params: Params,
    *,
    plugin: str,
    plugin_version: str | None,
    corpus_info: Mapping[str, Any],
    jobs: int = 1,
    strict: bool = False,
    progress: Progress | None = None,
    cache: Any = None,
) -> Run:
    """Run one analysis; a failure becomes an ``ok: false`` envelope (re-raised if strict)."""
    ctx = Context(params, name)
    started = time.perf_counter()
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    tb = ""
    try:
        analysis = cls()
        documents = _per_document(analysis, cls, corpus, ctx, jobs, progress, cache) if cls.has_document_part() else None
        if cls.has_corpus_part():
            if progress:
                progress(f"{name} (corpus)", 0, 1)
            extra = analysis.analyze_corpus(corpus, ctx, documents)
            if not isinstance(extra, dict):
                raise TypeError(f"analyze_corpus returned {type(extra).__name__}, not a dict")
            result = {"documents": documents, **extra} if documents is not None else dict(extra)
        else:
            result = {"documents": documents}
    except Exception as e:
        if strict:
            raise AnalysisError(f"analysis {name!r} (plugin {plugin!r}) failed: {type(e).__name__}: {e}") from e
        err = e.error if isinstance(e, _DocumentFailure) else e
        error = {"type": type(err).__name__, "message": str(e) if isinstance(e, _DocumentFailure) else str(err)}
        tb = traceback.format_exc()
        result = None
    report = envelope(
        analysis=name,
        analysis_version=cls.version,
        plugin=plugin,
        plugin_version=plugin_version,
        parameters=params.to_dict(),
        corpus=dict(corpus_info),
        result=result,
        warnings=ctx.warnings,
        error=error,
    )
    return Run(name, report, time.perf_counter() - started, error is not None, tb)


def plugin_failure_run(failure: plugins.PluginFailure, corpus_info: Mapping[str, Any]) -> Run:
    """An ``ok: false`` report for a plugin that never loaded."""
    report = envelope(
        analysis=failure.plugin,
        analysis_version=None,
        plugin=failure.plugin,
        plugin_version=plugins.plugin_version(failure.plugin),
        parameters={},
        corpus=dict(corpus_info),
        result=None,
        error={"type": "PluginError", "message": f"plugin {failure.plugin!r} failed at {failure.stage}: {failure.error}", "stage": failure.stage},
    )
    return Run(failure.plugin, report, 0.0, True, failure.traceback)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_analyses(
    corpus: Corpus,
    names: Sequence[str],
    analyses: Mapping[str, type[Analysis]],
    params: Mapping[str, Params],
    owners: Mapping[str, str],
    *,
    jobs: int = 1,
    strict: bool = False,
    dedupe: bool = False,
    progress: Progress | None = None,
    cache: Any = None,
) -> Iterator[Run]:
    """Run each named analysis in turn, yielding each Run as it finishes.

    With ``dedupe`` the analysis that can deduplicate (``deduplicates = True``, the
    built-in ``duplicates``) runs first and hands the others a reduced corpus; what it
    set aside is recorded in every report's ``corpus.set_aside``.
    """
    corpus_info: dict[str, Any] = corpus.fingerprint()
    order = list(names)
    working = corpus
    if dedupe:
        deduper = next((n for n in analyses if getattr(analyses[n], "deduplicates", False)), None)
        if deduper is None:
            raise ParameterError("--dedupe needs the duplicates analysis, which is not loaded")
        first = run_one(
            deduper, analyses[deduper], corpus, params[deduper], plugin=owners[deduper],
            plugin_version=plugins.plugin_version(owners[deduper]), corpus_info=corpus_info,
            jobs=jobs, strict=strict, progress=progress, cache=cache,
        )
        if first.failed:
            raise AnalysisError(f"--dedupe: the {deduper} analysis failed: {first.report['error']['message']}")
        working, set_aside = analyses[deduper]().deduplicate(corpus, first.report["result"], params[deduper])
        corpus_info = {**working.fingerprint(), "set_aside": set_aside}
        first.report["corpus"]["set_aside"] = set_aside
        if deduper in order:
            order.remove(deduper)
            yield first
    for name in order:
        owner = owners[name]
        yield run_one(
            name, analyses[name], working, params[name], plugin=owner, plugin_version=plugins.plugin_version(owner),
            corpus_info=corpus_info, jobs=jobs, strict=strict, progress=progress, cache=cache,
        )
