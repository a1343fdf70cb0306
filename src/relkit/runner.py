"""Runs analyses over a corpus.

Two phases, so the shared text features are computed once per document:

1. documents: each document is segmented once and every selected analysis's
   ``analyze_document`` runs on it (in parallel processes with ``jobs > 1``, or on a
   Dask cluster), results cached by content; its features are then freed;
2. corpus: each analysis's ``analyze_corpus`` gets the per-document results (several
   analyses side by side in forked processes with ``jobs > 1``).

With a cache, an analysis whose corpus-level result is cached for exactly these
documents and parameters skips both phases; otherwise only documents without a cached
per-document result are computed.

A failure inside an analysis becomes that analysis's ``ok: false`` envelope; the others
go on.  Per-document result keys starting with ``_`` are private to the analysis: passed
to ``analyze_corpus`` and cached, but not written to the report.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

from . import plugins
from .allocator import return_freed_memory
from .analysis import Analysis, Context
from .cache import ResultCache, decode_entries, decode_entry, encode_entry
from .collector import quiet_collector
from .corpus import Corpus, Document
from .errors import AnalysisError, ParameterError
from .jsonstream import Rendered, defer_paths, render, undefer
from .params import Params
from .report import envelope

__all__ = ["Run", "run_analyses", "select_analyses", "default_jobs"]

Progress = Callable[[str, int, int], None]
# Below this many documents to compute, starting processes costs more than it saves.
PARALLEL_MIN_DOCS = 32
# Without a cache, per-document results of corpora this large wait in a temporary file
# between the phases rather than in memory.
SPILL_MIN_DOCS = 2000
# Documents handed to the per-document parts at a time (``Analysis.analyze_documents``),
# bounded by their characters, as every document of a batch holds its features at once.
BATCH_DOCS = 128
BATCH_CHARS = 1_000_000


@dataclass
class Run:
    """The outcome of one analysis: its envelope and how long it took."""

    name: str
    report: dict[str, Any]
    seconds: float
    failed: bool
    traceback: str = ""
    document_seconds: float = 0.0
    corpus_seconds: float = 0.0
    cached: bool = False  # the corpus-level result was reused from the cache
    corpus_peak_bytes: int | None = None  # memory its corpus-level step added, when it ran in a process of its own


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
    results: list[Any] = field(default_factory=list)  # per document: compressed entry, (result, warnings), or None
    error: dict[str, Any] | None = None
    traceback: str = ""
    seconds: float = 0.0
    document_seconds: float = 0.0  # its per-document parts, summed over processes
    corpus_seconds: float = 0.0
    entry_keys: list[str] | None = None  # per-document cache keys, in corpus order
    corpus_key: str | None = None
    cached: bool = False  # a corpus-level result for exactly these documents is in the cache
    packed: int = 0  # bytes of its packed per-document results: what its corpus step will unpack
    corpus_peak_bytes: int | None = None  # peak its forked corpus step added (VmHWM growth), when forked


# -- per-document work (runs in this process, a worker process or a Dask worker) ---------
_worker_specs: list[tuple[str, type[Analysis], Params]] = []
_worker_instances: dict[str, Analysis] = {}


def _init_worker(specs: list[tuple[str, type[Analysis], Params]]) -> None:
    global _worker_specs, _worker_instances
    _worker_specs = specs
    _worker_instances = {}


def _instance(name: str, cls: type[Analysis]) -> Analysis:
    inst = _worker_instances.get(name)
    if inst is None:
        inst = _worker_instances[name] = cls()
    return inst


def _one(inst: Analysis, doc: Document, ctx: Context) -> tuple:
    t0 = time.perf_counter()
    try:
        res = inst.analyze_document(doc, ctx)
        if not isinstance(res, dict):
            raise TypeError(f"analyze_document returned {type(res).__name__}, not a dict")
        return ("ok", res, ctx.warnings, time.perf_counter() - t0)
    except Exception as e:
        return ("error", type(e).__name__, f"on document {doc.id!r}: {e}", traceback.format_exc())


def document_task(doc: Document, wanted: Sequence[str], specs: Sequence[tuple[str, type[Analysis], Params]] | None = None) -> dict[str, tuple]:
    """Run the wanted analyses' per-document parts on one document.

    Returns ``{name: ("ok", result, warnings, seconds) | ("error", type, message, traceback)}``.
    The document's features are computed once here and freed afterwards.
    """
    return documents_task([(doc, wanted)], specs)[0]


def documents_task(batch: Sequence[tuple[Document, Sequence[str]]],
                   specs: Sequence[tuple[str, type[Analysis], Params]] | None = None) -> list[dict[str, tuple]]:
    """``document_task`` for a batch of (document, wanted analyses): each analysis gets the
    documents that want it in one ``analyze_documents`` call when it has one of its own.

    A batch call that raises is run again document by document, so a failure names its
    document and the others still get their results.
    """
    specs = specs if specs is not None else _worker_specs
    out: list[dict[str, tuple]] = [{} for _ in batch]
    try:
        for name, cls, params in specs:
            idx = [i for i, (_doc, wanted) in enumerate(batch) if name in wanted]
            if not idx:
                continue
            inst = _instance(name, cls)
            if len(idx) > 1 and cls.has_batch_part():
                docs = [batch[i][0] for i in idx]
                ctx = Context(params, name)
                t0 = time.perf_counter()
                try:
                    results = inst.analyze_documents(docs, ctx)
                    if len(results) != len(docs) or not all(isinstance(r, dict) for r in results):
                        raise TypeError("analyze_documents must return one dict per document")
                except Exception:
                    pass  # one by one below: the failure names its document
                else:
                    seconds = (time.perf_counter() - t0) / len(docs)
                    for i, doc, res, warnings in zip(idx, docs, results, _warnings_by_doc(docs, ctx.warnings)):
                        out[i][name] = ("ok", res, warnings, seconds)
                    continue
            for i in idx:
                out[i][name] = _one(inst, batch[i][0], Context(params, name))
    finally:
        for doc, _wanted in batch:
            doc.drop_features()
    return out


def _warnings_by_doc(docs: Sequence[Document], warnings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A batch call's warnings, each with the document it names (``doc=``), else the first."""
    per: list[list[dict[str, Any]]] = [[] for _ in docs]
    if warnings:
        where = {d.id: k for k, d in enumerate(docs)}
        for w in warnings:
            per[where.get(w.get("doc"), 0)].append(w)
    return per


def _document_batch(batch: list[tuple[Document, list[str], list[str]]], specs=None) -> list[dict[str, tuple]]:
    """``documents_task`` with each result already packed as the cache stores it.

    Packing where the work ran spreads it over the workers and sends back a few
    compressed bytes instead of a pickled result.  ``("blob", bytes, seconds)``; a result
    that is not JSON-able comes back as it is (``"ok"``).
    """
    outs = documents_task([(doc, wanted) for doc, wanted, _keys in batch], specs)
    for (_doc, wanted, keys), out in zip(batch, outs):
        for name, key in zip(wanted, keys):
            res = out.get(name)
            if res is not None and res[0] == "ok":
                blob = encode_entry(key, res[1], res[2])
                if blob is not None:
                    out[name] = ("blob", blob, res[3])
    return outs


def _batches(todo: list, size: int) -> list[list]:
    """``todo`` cut into batches of at most ``size`` documents and ``BATCH_CHARS`` characters
    (features of a whole batch are held at once)."""
    out: list[list] = []
    cur: list = []
    chars = 0
    for item in todo:
        n = len(item[0].text)
        if cur and (len(cur) >= size or chars + n > BATCH_CHARS):
            out.append(cur)
            cur, chars = [], 0
        cur.append(item)
        chars += n
    if cur:
        out.append(cur)
    return out


class _Executor:
    """Where per-document work runs: here, local processes, or a Dask cluster."""

    def __init__(self, jobs: int, scheduler: str | None) -> None:
        self.jobs = jobs
        self.scheduler = scheduler

    def map(self, specs, todo: list[tuple[Document, list[str], list[str]]]) -> Iterator[dict[str, tuple]]:
        if self.scheduler:
            yield from _dask_map(self.scheduler, specs, todo)
            return
        if self.jobs <= 1 or len(todo) < PARALLEL_MIN_DOCS:
            _init_worker(specs)
            for batch in _batches(todo, BATCH_DOCS):
                yield from _document_batch(batch)
            return
        fork = "fork" in multiprocessing.get_all_start_methods()
        init: dict[str, Any] = {"initializer": _init_worker, "initargs": (specs,)}
        if fork:
            # The first document here, so what the analyses load on first use (lexicons,
            # word lists) is loaded once and shared with the forked workers, not per worker.
            _init_worker(specs)
            yield from _document_batch(todo[:1])
            todo = todo[1:]
            init = {"mp_context": multiprocessing.get_context("fork")}
        batches = _batches(todo, max(1, min(BATCH_DOCS, len(todo) // (self.jobs * 8))))
        with ProcessPoolExecutor(max_workers=self.jobs, **init) as ex:
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
        batches = _batches(todo, BATCH_DOCS)
        futures = client.map(_document_batch, batches, specs=specs, pure=False)
        for fut in futures:  # in submission order, so results stay in corpus order
            yield from fut.result()
    finally:
        if own:
            client.close()


def _strip_private(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if not k.startswith("_")}


def _cache_lookup(jobs_list: list[_Job], corpus: Corpus, cache: Any) -> None:
    """Give each job its per-document keys, and its corpus-level result where the corpus is unchanged.

    A job whose corpus-level result is reused needs no per-document results at all, so
    they are neither read back nor computed (nor are its documents segmented for it).
    """
    from .cache import ResultCache, document_key

    if not jobs_list:
        return
    doc_keys = [document_key(d) for d in corpus.documents]
    for j in jobs_list:
        t0 = time.perf_counter()
        akey = ResultCache.analysis_key(j.name, j.cls, j.params)
        j.entry_keys = [ResultCache.entry_key(akey, k) for k in doc_keys]
        if cache is not None and j.cls.has_corpus_part():
            j.corpus_key = ResultCache.corpus_key(akey, j.entry_keys)
            j.cached = cache.has_corpus(j.corpus_key)
        j.seconds += time.perf_counter() - t0


class _Stored:
    """Marks a per-document result that waits in the store (the cache, or a spill file)."""


_STORED = _Stored()


def _spill_store(cache: Any, documents: int) -> tuple[Any, str | None]:
    """Where per-document results wait between the phases: the cache, or for a large corpus
    run without one a temporary file (removed afterwards); None keeps them in memory.

    Returns the store and the temporary directory to remove, if any.
    """
    from .cache import ResultCache

    if cache is not None:
        return (cache, None) if cache._connect() is not None else (None, None)
    if documents < SPILL_MIN_DOCS:
        return None, None
    tmp = tempfile.mkdtemp(prefix="relkit-spill-")
    store = ResultCache(tmp)
    if store._connect() is None:
        shutil.rmtree(tmp, ignore_errors=True)
        return None, None
    return store, tmp


def _document_phase(jobs_list: list[_Job], corpus: Corpus, executor: _Executor, progress: Progress | None, cache: Any,
                    store: Any = None) -> None:
    """Per-document results for every job that needs them, cached ones left where they are.

    Between the phases results wait in ``store`` (compressed, as the cache keeps them), or
    compressed in memory without one, so a large corpus never holds every analysis's
    per-document results as Python objects; each analysis's are unpacked for its corpus
    part only.
    """
    docs = corpus.documents
    per_doc = [j for j in jobs_list if j.cls.has_document_part() and not j.cached]
    if not per_doc:
        return
    for j in per_doc:
        j.results = [None] * len(docs)
        if cache is not None:
            t0 = time.perf_counter()
            sizes: list[int] = []
            j.results = [_STORED if found else None for found in cache.check_many(j.entry_keys, sizes)]  # type: ignore[arg-type]
            j.packed = sum(sizes)
            j.seconds += time.perf_counter() - t0
    todo: list[tuple[Document, list[str], list[str]]] = []
    todo_index: list[int] = []
    for i, doc in enumerate(docs):
        missing = [j for j in per_doc if j.results[i] is None]
        if missing:
            todo.append((doc, [j.name for j in missing], [j.entry_keys[i] for j in missing]))  # type: ignore[index]
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
            if res[0] == "blob":
                j.seconds += res[2]
                j.document_seconds += res[2]
                j.packed += len(res[1])
                if store is not None:
                    store.put_raw(j.entry_keys[i], j.name, res[1])  # type: ignore[index]
                    j.results[i] = _STORED
                else:
                    j.results[i] = res[1]
            elif res[0] == "ok":  # not JSON-able: kept as it is, and nothing of this analysis is cached
                j.seconds += res[3]
                j.document_seconds += res[3]
                j.results[i] = (res[1], res[2])
                j.corpus_key = None
            elif j.error is None:
                j.error = {"type": res[1], "message": res[2]}
                j.traceback = res[3]
        done += 1
        if progress:
            progress("documents", done, total)
    if store is not None:
        store.flush()


def _unpack(j: _Job, corpus: Corpus, store: Any, defer: bool = False) -> list[dict[str, Any]]:
    """The job's per-document results as ``{"id", **result}``, its per-document warnings into ``j.warnings``.

    An entry that is missing or does not parse after all (a cache damaged since it was
    checked) is recomputed here.
    """
    documents = []
    warnings: list[dict[str, Any]] = []
    keys: list[str] = j.entry_keys or []
    n = len(j.results)
    # compacted batch by batch: done after all are decoded, the freed small objects could
    # not be reused by the later large allocations and the peak would stay
    compact = j.cls.compact_result
    # where the result is only packed and rendered (a forked step), the parts the analysis
    # never reads wait as text
    unread = tuple(getattr(j.cls, "unread_keys", ())) if defer else ()
    for b in range(0, n, 1000):
        span = range(b, min(n, b + 1000))
        wanted = [keys[i] for i in span if j.results[i] is _STORED]
        fetched = store.fetch_raw(wanted) if (store is not None and wanted) else {}
        held_list = [fetched.get(keys[i]) if j.results[i] is _STORED else j.results[i] for i in span]
        del fetched
        packed = [h if isinstance(h, bytes) else None for h in held_list]
        decoded = decode_entries(packed, [keys[i] for i in span])
        del packed
        for i, held, entry in zip(span, held_list, decoded):
            doc = corpus.documents[i]
            if j.results[i] is None:
                continue
            if isinstance(held, tuple):
                entry = held
            if entry is None:
                outcome = document_task(doc, [j.name], [(j.name, j.cls, j.params)])[j.name]
                if outcome[0] != "ok":
                    raise AnalysisError(outcome[2])
                entry = (outcome[1], outcome[2])
            j.results[i] = None  # unpacked once: the compressed copy can go
            result = compact(entry[0])
            if unread:
                defer_paths(result, unread)
            documents.append({"id": doc.id, **result})
            warnings.extend(entry[1])
    j.results = []
    j.warnings[:0] = warnings  # corpus order, whether computed now or read back
    return documents


def _corpus_phase(j: _Job, corpus: Corpus, progress: Progress | None, store: Any = None,
                  defer: bool = False) -> dict[str, Any] | None:
    if j.error is not None:
        return None
    t0 = time.perf_counter()
    try:
        documents = None
        if j.cls.has_document_part():
            documents = _unpack(j, corpus, store, defer)
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
        dt = time.perf_counter() - t0
        j.seconds += dt
        j.corpus_seconds += dt


def _finish(j: _Job, result: dict[str, Any] | None, corpus_info: Mapping[str, Any], strict: bool, cached: bool = False) -> Run:
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
    return Run(j.name, report, j.seconds, j.error is not None, j.traceback, j.document_seconds, j.corpus_seconds, cached,
               j.corpus_peak_bytes)


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


def _pack(key: str | None, result: dict[str, Any], warnings: list[dict[str, Any]], rendered: bool,
          exact: bool) -> tuple[bytes | None, bytes | None, int]:
    """A corpus-level result packed: ``(exact entry, report text, its header's length)``, each if asked for and possible.

    The report text (for the report file, ``rendered``) is written by ``jsonstream``; the
    exact entry (for the cache) then by the C JSON encoder, which writes the same text
    as ``jsonstream.compressed`` unless a key is not a str, int or float.
    """
    report, skip, odd = None, 0, None
    if rendered:
        header = ResultCache.report_header(key or "", warnings)
        odd = []
        try:
            report, skip = render(result, 1, header, odd), len(header)
        except (TypeError, ValueError):  # not JSON-able: the writer reports that, as it always did
            odd = None
    packed = None
    if exact:
        fast = report is not None and not odd
        packed = encode_entry(key or "", result, warnings, exact_keys=not fast, by_item=fast)
    return packed, report, skip


def _rendered(j: _Job, result: dict[str, Any], cache: Any, stored: bool = False) -> Any:
    """The result as its report text (stored in the cache for the next run), or as it is if it cannot be rendered.

    ``stored``: its exact entry is in the cache already; else it is stored too, if it can be.
    """
    cacheable = cache is not None and j.corpus_key is not None
    exact, report, skip = _pack(j.corpus_key, result, j.warnings, True, cacheable and not stored)
    if report is None:
        if exact is not None:
            cache.put_corpus_blob(j.corpus_key, j.name, exact)
        return result
    if not cacheable:
        return Rendered(report, 1, lambda: result, skip)
    if exact is not None:
        cache.put_corpus_blob(j.corpus_key, j.name, exact)
    cache.put_corpus_report(j.corpus_key, report)
    return Rendered(report, 1, _loader(cache, j.corpus_key, report, skip), skip)


def _loader(cache: Any, key: str | None, blob: bytes, skip: int, exact: bytes | None = None) -> Callable[[], Any]:
    """How a Rendered result gets its value back: the exact entry (cache or blob), else the report text."""

    def load() -> Any:
        entry = None
        if exact is not None:
            entry = decode_entry(exact, key or "")
        elif cache is not None and key is not None:
            entry = cache.get_corpus(key, count=False)
        if entry is not None:
            return entry[0]
        pieces: list[str] = []
        Rendered(blob, 1, lambda: None, skip).write(pieces.append)
        return json.loads("".join(pieces))

    return load


def _fit(j: _Job, corpus: Corpus, progress: Progress | None, cache: Any, store: Any, executor: _Executor,
         rendered: bool = False) -> tuple[Any, bool]:
    """The job's corpus-level result (reused or fitted and stored), and whether it was reused.

    ``rendered``: the result as a ``Rendered`` report text where it can be (only a writer
    of report files asks for it): reused as stored, with nothing decoded.
    """
    if j.cached and j.error is None:
        j.cached = False
        t0 = time.perf_counter()
        found: Any = None
        if rendered:
            stored = cache.get_corpus_report(j.corpus_key)
            if stored is not None:
                blob, skip, j.warnings = stored
                found = Rendered(blob, 1, _loader(cache, j.corpus_key, blob, skip), skip)
        if found is None:
            entry = cache.get_corpus(j.corpus_key)
            if entry is not None:
                j.warnings = list(entry[1])
                found = _rendered(j, entry[0], cache, stored=True) if rendered else entry[0]
        j.seconds += time.perf_counter() - t0
        if found is not None:
            if j.cls.has_document_part():
                cache.hits += len(corpus)  # per-document work not redone: its results are in there
            return found, True
        # Broken past its head: this analysis is computed after all, documents first.
        _document_phase([j], corpus, executor, None, cache, store)
    result = _corpus_phase(j, corpus, progress, store)
    if cache is not None and j.corpus_key is not None and j.error is None and result is not None:
        if rendered:
            result = _rendered(j, result, cache)
        else:
            cache.put_corpus(j.corpus_key, j.name, result, j.warnings)
        cache.put_corpus_cost(j.name, j.corpus_seconds, len(corpus))
    return result, False


# -- corpus-level work in forked processes ---------------------------------------------------
# Estimated peak memory of a corpus-level step per byte of its packed per-document results,
# until one has been measured and when the analysis gives no ``corpus_memory`` hint (results
# as Python objects are 7-15x their packed size, plus what the step builds from them; the
# built-ins measure 9-56 on the news corpus).
MEMORY_PER_PACKED = 40.0
# The run's memory -- this process's resident set plus the estimated peaks of the corpus-level
# steps running -- is kept within this where it can: a step starts beside others only if it
# fits; one that does not fit even alone runs alone.  Large corpora thus fit one step at a time
# (a forked step's pages shared with this process are counted once, in its resident set).
CORPUS_MEMORY_BUDGET = 1_600 * 2**20

_corpus_work: tuple[list[_Job], Corpus, str | None, bool] | None = None


def _memory_key(j: _Job) -> str:
    """What a corpus step's measured memory is kept under: a new version of the analysis, or
    results of another shape (its cache token), must not inherit an old measurement."""
    try:
        token = j.cls.cache_token(j.params)
    except Exception:  # noqa: BLE001  # a failing token fails the analysis elsewhere; here it only names the measurement
        token = ""
    return f"{j.name} {j.cls.version} {token}".rstrip()


def _memory_kb(field: str) -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _corpus_child(index: int) -> dict[str, Any]:
    """One job's corpus-level step, in a forked process: its outcome, packed for the parent.

    The exact result packed as the cache keeps it (when there is a cache to keep it, or no
    report text is wanted) and its report text when the parent writes report files: a
    fraction of a pickle's size, and nothing for the parent to decode.
    """
    from .cache import ResultCache

    start_kb = _memory_kb("VmRSS:")
    jobs_list, corpus, store_dir, rendered = _corpus_work  # type: ignore[misc]  # inherited through fork, not pickled
    j = jobs_list[index]
    # Its own connection: an SQLite connection must not cross a fork.
    result = _corpus_phase(j, corpus, None, ResultCache(store_dir) if store_dir else None, defer=True)
    out: dict[str, Any] = {"error": j.error, "traceback": j.traceback, "seconds": j.seconds,
                           "corpus_seconds": j.corpus_seconds, "warnings": j.warnings}
    if result is not None:
        exact, report, skip = _pack(j.corpus_key, result, j.warnings, rendered, j.corpus_key is not None or not rendered)
        if exact is not None:
            out["exact"] = exact
        if report is not None:
            out["report"], out["skip"] = report, skip
        if exact is None and report is None:
            out["result"] = undefer(result)  # not JSON-able: pickled as it is
    out["peak_bytes"] = max(0, _memory_kb("VmHWM:") - start_kb) * 1024
    return out


def _child_main(index: int, conn: Any) -> None:
    try:
        out: Any = _corpus_child(index)
    except BaseException as e:  # noqa: BLE001  # reported to the parent, which fails that analysis
        out = {"crash": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
    # The large packed texts go on their own after the rest: inside the pickle they would be
    # copied once more, at the step's end, on top of everything it still holds.
    big = [k for k in ("exact", "report") if isinstance(out.get(k), bytes)]
    blobs = [out.pop(k) for k in big]
    conn.send((out, big))
    while blobs:
        conn.send_bytes(blobs.pop(0))
    conn.close()


def _corpus_results(jobs_list: list[_Job], corpus: Corpus, jobs: int, progress: Progress | None, cache: Any,
                    store: Any, executor: _Executor, rendered: bool = False) -> Iterator[tuple[_Job, Any, bool]]:
    """Each job's corpus-level result, in order.

    With ``jobs > 1`` and two or more analyses to fit, each fit runs in a forked process of
    its own (which hands it the per-document results without copying them, and returns
    all it allocated when it ends), up to ``jobs`` at a time, the longest-running first, and
    only as many side by side as their estimated memory allows (``CORPUS_MEMORY_BUDGET``).
    """
    to_fit = [j for j in jobs_list if j.error is None and not j.cached and j.cls.has_corpus_part()]
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(to_fit) < 2 or not fork:
        for j in jobs_list:
            result, reused = _fit(j, corpus, progress, cache, store, executor, rendered)
            yield j, result, reused
        return
    global _corpus_work
    from multiprocessing.connection import wait

    index = {id(j): n for n, j in enumerate(jobs_list)}
    # Longest first (as measured last time, else the plugin's ``corpus_cost`` hint), so the
    # longest fit does not start last and leave the other cores idle at the end.
    measured = cache.corpus_costs() if cache is not None else {}
    per_packed = cache.corpus_memory() if cache is not None else {}
    pending = sorted(to_fit, key=lambda j: -measured.get(j.name, float(getattr(j.cls, "corpus_cost", 0.0))))
    estimate = {id(j): j.packed * per_packed.get(_memory_key(j), getattr(j.cls, "corpus_memory", None) or MEMORY_PER_PACKED)
                for j in to_fit}
    _corpus_work = (jobs_list, corpus, str(store.directory) if store is not None else None, rendered)
    ctx = multiprocessing.get_context("fork")
    running: dict[Any, tuple[_Job, Any]] = {}  # receiving end -> (job, process)
    outcomes: dict[int, dict[str, Any]] = {}
    total, finished = len(to_fit), 0
    if progress:
        progress("corpus", 0, total)

    def start_more() -> None:
        while pending and len(running) < jobs:
            using = _memory_kb("VmRSS:") * 1024 + sum(estimate[id(job)] for job, _ in running.values())
            j = next((j for j in pending if not running or using + estimate[id(j)] <= CORPUS_MEMORY_BUDGET), None)
            if j is None:
                return
            pending.remove(j)
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child_main, args=(index[id(j)], send))
            proc.start()
            send.close()
            running[recv] = (j, proc)

    def collect_one() -> None:
        for recv in wait(list(running)):
            j, proc = running.pop(recv)
            try:
                out, big = recv.recv()
                for k in big:
                    out[k] = recv.recv_bytes()
            except (EOFError, OSError):  # the process died (killed, out of memory): that analysis fails
                proc.join()
                out = {"crash": f"its process ended without a result (exit code {proc.exitcode})", "traceback": ""}
            recv.close()
            proc.join()
            outcomes[id(j)] = out

    def take(j: _Job) -> Any:
        out = outcomes.pop(id(j))
        start_more()  # keep the cores busy while this report is written
        return _take(j, out, corpus, cache)

    def tick() -> None:
        nonlocal finished
        finished += 1
        if progress:
            progress("corpus", finished, total)

    try:
        if rendered:
            # Report files only: each step's run is handed on as soon as the step ends, so a
            # finished step's report text never waits in memory behind a slower one (at 52k
            # texts the others' held ~300 MB while the shortest step, first in order, ran
            # last).  Files do not depend on the order; the CLI orders the manifest.
            for j in jobs_list:
                if id(j) not in estimate:
                    result, reused = _fit(j, corpus, None, cache, store, executor, rendered)
                    yield j, result, reused
            while pending or running:
                start_more()
                collect_one()
                for j in [j for j in to_fit if id(j) in outcomes]:
                    yield j, take(j), False
                    tick()
            return
        for j in jobs_list:
            if id(j) not in estimate:
                result, reused = _fit(j, corpus, None, cache, store, executor, rendered)
                yield j, result, reused
                continue
            while id(j) not in outcomes:
                start_more()
                collect_one()
            yield j, take(j), False
            tick()
    finally:
        for recv, (_, proc) in running.items():
            proc.terminate()
            proc.join()
            recv.close()
        _corpus_work = None


def _take(j: _Job, out: dict[str, Any], corpus: Corpus, cache: Any) -> Any:
    """A forked corpus-level step's outcome into ``j``; its result (stored in the cache)."""
    j.results = []
    if "crash" in out:
        j.error = {"type": "ProcessError", "message": f"corpus-level step failed: {out['crash']}"}
        j.traceback = out["traceback"]
        return None
    j.error, j.traceback, j.seconds, j.corpus_seconds, j.warnings = (
        out["error"], out["traceback"], out["seconds"], out["corpus_seconds"], out["warnings"])
    j.corpus_peak_bytes = out.get("peak_bytes")
    exact, report = out.get("exact"), out.get("report")
    stored = False
    if cache is not None and j.error is None:
        cache.put_corpus_memory(_memory_key(j), out.get("peak_bytes", 0), j.packed)
        if j.corpus_key is not None and exact is not None:
            cache.put_corpus_blob(j.corpus_key, j.name, exact)
            cache.put_corpus_cost(j.name, j.corpus_seconds, len(corpus))
            stored = True
            if report is not None:
                cache.put_corpus_report(j.corpus_key, report)
    if report is not None:  # the value, if ever needed, is read back from the cache rather than held here
        load = _loader(cache, j.corpus_key, report, out["skip"]) if stored else _loader(None, j.corpus_key, report, out["skip"], exact)
        return Rendered(report, 1, load, out["skip"])
    if exact is not None:
        entry = decode_entry(exact, j.corpus_key or "")
        return entry[0] if entry is not None else None
    return out.get("result")


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
    rendered: bool = False,
) -> Iterator[Run]:
    """Run the named analyses, yielding each Run as it finishes (in ``names`` order).

    With ``dedupe`` the analysis that can deduplicate (``deduplicates = True``, the
    built-in ``duplicates``) runs first on the whole corpus and hands the others a reduced
    corpus; what it set aside is recorded in every report's ``corpus.set_aside``.

    ``rendered``: a report's ``result`` may be a ``jsonstream.Rendered`` (its report text,
    written by ``jsonstream.chunks``/``write_report`` as the value would be) instead of the
    value; for a caller that only writes report files.
    """
    return_freed_memory()  # a long run frees large buffers over and over: keep the footprint near what is used
    executor = _Executor(jobs, scheduler)
    store, spill_dir = _spill_store(cache, len(corpus))
    # The corpus, the plugins and the modules stay alive for the whole run, and results pile up.
    try:
        with quiet_collector():
            yield from _run(corpus, names, analyses, params, owners, jobs, strict, dedupe, progress, cache, scheduler,
                            executor, store, rendered)
    finally:
        if spill_dir is not None:
            store.close()
            shutil.rmtree(spill_dir, ignore_errors=True)


def _run(corpus, names, analyses, params, owners, jobs, strict, dedupe, progress, cache, scheduler, executor, store,
         rendered) -> Iterator[Run]:
    corpus_info: dict[str, Any] = corpus.fingerprint()
    order = list(names)
    working = corpus
    if dedupe:
        deduper = next((n for n in analyses if getattr(analyses[n], "deduplicates", False)), None)
        if deduper is None:
            raise ParameterError("--dedupe needs the duplicates analysis, which is not loaded")
        (dj,) = _make_jobs([deduper], analyses, params, owners)
        if dj.error is None:
            _cache_lookup([dj], corpus, cache)
        _document_phase([dj], corpus, executor, progress, cache, store)
        result, reused = _fit(dj, corpus, progress, cache, store, executor)
        if dj.error is not None:
            raise AnalysisError(f"--dedupe: the {deduper} analysis failed: {dj.error['message']}")
        working, set_aside = dj.instance.deduplicate(corpus, result, dj.params)  # type: ignore[union-attr]
        corpus_info = {**working.fingerprint(), "set_aside": set_aside}
        if deduper in order:
            order.remove(deduper)
            run = _finish(dj, result, {**corpus.fingerprint(), "set_aside": set_aside}, strict, reused)
            yield run

    job_list = _make_jobs(order, analyses, params, owners)
    live = [j for j in job_list if j.error is None]
    _cache_lookup(live, working, cache)
    _document_phase(live, working, executor, progress, cache, store)
    for j, result, reused in _corpus_results(job_list, working, 1 if scheduler else jobs, progress, cache, store, executor,
                                             rendered):
        yield _finish(j, result, corpus_info, strict, reused)
