"""Runs analyses over a corpus.

Two phases, so the shared text features are computed once per document:

1. documents: each document is segmented once and every selected analysis's
   ``analyze_document`` runs on it (in parallel processes with ``jobs > 1``, or on a
   Dask cluster), results cached by content; its features are then freed;
2. corpus: each analysis's ``analyze_corpus`` gets the per-document results.

A failure inside an analysis becomes that analysis's ``ok: false`` envelope; the others
go on.  Per-document result keys starting with ``_`` are private to the analysis: passed
to ``analyze_corpus`` and cached, but not written to the report.
"""

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

__all__ = ["Run", "run_analyses", "select_analyses", "default_jobs"]

Progress = Callable[[str, int, int], None]
# Below this many documents to compute, starting processes costs more than it saves.
PARALLEL_MIN_DOCS = 32


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


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Job:
    """One analysis being run: its class, parameters, results so far, failure if any."""

    name: str
    cls: type[Analysis]
    params: Params
    plugin: str
    instance: Analysis | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any] | None] = field(default_factory=list)
    error: dict[str, Any] | None = None
    traceback: str = ""
    seconds: float = 0.0


# -- per-document work (runs in this process, a worker process or a Dask worker) ---------
_worker_specs: list[tuple[str, type[Analysis], Params]] = []
_worker_instances: dict[str, Analysis] = {}


def _init_worker(specs: list[tuple[str, type[Analysis], Params]]) -> None:
    global _worker_specs, _worker_instances
    _worker_specs = specs
    _worker_instances = {}


def document_task(doc: Document, wanted: Sequence[str], specs: Sequence[tuple[str, type[Analysis], Params]] | None = None) -> dict[str, tuple]:
    """Run the wanted analyses' per-document parts on one document.

    Returns ``{name: ("ok", result, warnings, seconds) | ("error", type, message, traceback)}``.
    The document's features are computed once here and freed afterwards.
    """
    specs = specs if specs is not None else _worker_specs
    out: dict[str, tuple] = {}
    try:
        for name, cls, params in specs:
            if name not in wanted:
                continue
            inst = _worker_instances.get(name)
            if inst is None:
                inst = _worker_instances[name] = cls()
            ctx = Context(params, name)
            t0 = time.perf_counter()
            try:
                res = inst.analyze_document(doc, ctx)
                if not isinstance(res, dict):
                    raise TypeError(f"analyze_document returned {type(res).__name__}, not a dict")
                out[name] = ("ok", res, ctx.warnings, time.perf_counter() - t0)
            except Exception as e:
                out[name] = ("error", type(e).__name__, f"on document {doc.id!r}: {e}", traceback.format_exc())
    finally:
        doc.drop_features()
    return out


def _document_batch(batch: list[tuple[Document, list[str]]], specs=None) -> list[dict[str, tuple]]:
    return [document_task(doc, wanted, specs) for doc, wanted in batch]


class _Executor:
    """Where per-document work runs: here, local processes, or a Dask cluster."""

    def __init__(self, jobs: int, scheduler: str | None) -> None:
        self.jobs = jobs
        self.scheduler = scheduler

    def map(self, specs, todo: list[tuple[Document, list[str]]]) -> Iterator[dict[str, tuple]]:
        if self.scheduler:
            yield from _dask_map(self.scheduler, specs, todo)
            return
        if self.jobs <= 1 or len(todo) < PARALLEL_MIN_DOCS:
            _init_worker(specs)
            for doc, wanted in todo:
                yield document_task(doc, wanted)
            return
        ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        size = max(1, min(64, len(todo) // (self.jobs * 8)))
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_init_worker, initargs=(specs,)) as ex:
            for results in ex.map(_document_batch, batches):
                yield from results


def _dask_map(address: str, specs, todo):
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError("--scheduler needs Dask: pip install 'relkit[dask]'") from None
    client = address if not isinstance(address, str) else None
    own = False
    if client is None:
        try:
            client = Client(address, timeout="10s")
        except OSError as e:
            raise ParameterError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        own = True
    try:
        size = 64
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        futures = client.map(_document_batch, batches, specs=specs, pure=False)
        for fut in futures:  # in submission order, so results stay in corpus order
            yield from fut.result()
    finally:
        if own:
            client.close()


def _strip_private(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if not k.startswith("_")}


def _document_phase(jobs_list: list[_Job], corpus: Corpus, executor: _Executor, progress: Progress | None, cache: Any) -> None:
    docs = corpus.documents
    per_doc = [j for j in jobs_list if j.cls.has_document_part()]
    if not per_doc:
        return
    for j in per_doc:
        j.results = [None] * len(docs)
    todo: list[tuple[Document, list[str]]] = []
    todo_index: list[int] = []
    for i, doc in enumerate(docs):
        wanted = []
        for j in per_doc:
            hit = cache.get(j.name, j.cls, j.params, doc) if cache is not None else None
            if hit is not None:
                j.results[i] = hit
            else:
                wanted.append(j.name)
        if wanted:
            todo.append((doc, wanted))
            todo_index.append(i)
    total = len(docs)
    done = total - len(todo)
    if progress:
        progress("documents", done, total)
    specs = [(j.name, j.cls, j.params) for j in per_doc]
    by_name = {j.name: j for j in per_doc}
    for i, outcome in zip(todo_index, executor.map(specs, todo)):
        for name, res in outcome.items():
            j = by_name[name]
            if res[0] == "ok":
                j.results[i] = res[1]
                j.warnings.extend(res[2])
                j.seconds += res[3]
                if cache is not None:
                    cache.put(j.name, j.cls, j.params, docs[i], res[1])
            elif j.error is None:
                j.error = {"type": res[1], "message": res[2]}
                j.traceback = res[3]
        done += 1
        if progress:
            progress("documents", done, total)


def _corpus_phase(j: _Job, corpus: Corpus, progress: Progress | None) -> dict[str, Any] | None:
    if j.error is not None:
        return None
    t0 = time.perf_counter()
    try:
        documents = None
        if j.cls.has_document_part():
            documents = [{"id": d.id, **r} for d, r in zip(corpus.documents, j.results) if r is not None]
        if not j.cls.has_corpus_part():
            return {"documents": [_strip_private(d) for d in documents or []]}
        if progress:
            progress(j.name, 0, 1)
        ctx = Context(j.params, j.name, j.warnings)
        extra = (j.instance or j.cls()).analyze_corpus(corpus, ctx, documents)
        if not isinstance(extra, dict):
            raise TypeError(f"analyze_corpus returned {type(extra).__name__}, not a dict")
        result = dict(extra)
        if documents is not None and "documents" not in result:
            result = {"documents": documents, **result}
        if isinstance(result.get("documents"), list):
            result["documents"] = [_strip_private(d) if isinstance(d, dict) else d for d in result["documents"]]
        if progress:
            progress(j.name, 1, 1)
        return result
    except Exception as e:
        j.error = {"type": type(e).__name__, "message": str(e)}
        j.traceback = traceback.format_exc()
        return None
    finally:
        j.seconds += time.perf_counter() - t0


def _finish(j: _Job, result: dict[str, Any] | None, corpus_info: Mapping[str, Any], strict: bool) -> Run:
    if j.error is not None and strict:
        raise AnalysisError(f"analysis {j.name!r} (plugin {j.plugin!r}) failed: {j.error['type']}: {j.error['message']}\n{j.traceback}")
    report = envelope(
        analysis=j.name,
        analysis_version=j.cls.version,
        plugin=j.plugin,
        plugin_version=plugins.plugin_version(j.plugin),
        parameters=j.params.to_dict(),
        corpus=dict(corpus_info),
        result=result,
        warnings=j.warnings,
        error=j.error,
    )
    return Run(j.name, report, j.seconds, j.error is not None, j.traceback)


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


def _make_jobs(names, analyses, params, owners) -> list[_Job]:
    out = []
    for n in names:
        j = _Job(n, analyses[n], params[n], owners[n])
        try:
            j.instance = j.cls()
        except Exception as e:
            j.error = {"type": type(e).__name__, "message": f"could not be created: {e}"}
            j.traceback = traceback.format_exc()
        out.append(j)
    return out


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
    scheduler: str | None = None,
) -> Iterator[Run]:
    """Run the named analyses, yielding each Run as it finishes (in ``names`` order).

    With ``dedupe`` the analysis that can deduplicate (``deduplicates = True``, the
    built-in ``duplicates``) runs first on the whole corpus and hands the others a reduced
    corpus; what it set aside is recorded in every report's ``corpus.set_aside``.
    """
    executor = _Executor(jobs, scheduler)
    corpus_info: dict[str, Any] = corpus.fingerprint()
    order = list(names)
    working = corpus
    if dedupe:
        deduper = next((n for n in analyses if getattr(analyses[n], "deduplicates", False)), None)
        if deduper is None:
            raise ParameterError("--dedupe needs the duplicates analysis, which is not loaded")
        (dj,) = _make_jobs([deduper], analyses, params, owners)
        _document_phase([dj], corpus, executor, progress, cache)
        result = _corpus_phase(dj, corpus, progress)
        if dj.error is not None:
            raise AnalysisError(f"--dedupe: the {deduper} analysis failed: {dj.error['message']}")
        working, set_aside = dj.instance.deduplicate(corpus, result, dj.params)  # type: ignore[union-attr]
        corpus_info = {**working.fingerprint(), "set_aside": set_aside}
        if deduper in order:
            order.remove(deduper)
            run = _finish(dj, result, {**corpus.fingerprint(), "set_aside": set_aside}, strict)
            yield run

    job_list = _make_jobs(order, analyses, params, owners)
    _document_phase([j for j in job_list if j.error is None], working, executor, progress, cache)
    for j in job_list:
        yield _finish(j, _corpus_phase(j, working, progress), corpus_info, strict)
