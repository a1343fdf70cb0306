"""A test kit for plugin authors (also a pytest plugin, through the ``pytest11`` entry point).

::

    from relkit.testing import make_corpus, run_analysis, check_analysis

    def test_conformance():
        check_analysis("mything")                      # or the class itself

    def test_counts():
        corpus = make_corpus(["One sentence. Two sentences.", "Another one."])
        report = run_analysis("mything", corpus, {"min_words": 2})
        assert report["ok"] and report["result"]["documents"][0]["count"] == 1

* :func:`make_corpus` builds a :class:`~relkit.Corpus` from strings, a dict of id to
  text, or files and directories (read by the same loaders as ``relkit analyze``).
* :func:`run_analysis` runs one analysis through the path the CLI uses
  (:func:`relkit.api.plan` and its runs) and returns its report envelope.  An analysis
  class that no installed plugin registers is registered for the call and unregistered
  afterwards.
* :func:`check_analysis` is the conformance check every built-in analysis passes: valid
  parameters, a report that validates against the envelope JSON Schema, evidence spans
  whose offsets point at their quoted text, JSON that is byte-identical across runs (and
  through the result cache), and no failure on awkward documents (empty, one word,
  non-Latin script).  It raises :class:`ConformanceError` listing every problem found.

Pytest fixtures (available in any test once relkit is installed): ``relkit_corpus`` (the
sample corpus below), ``relkit_edge_corpus``, and ``register_plugin`` (registers a plugin
object or an Analysis class for one test and unregisters it in ``finally``).

Importing this module never imports pytest unless pytest is already installed, and
relkit itself never imports this module.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import tempfile
import types
import warnings
from typing import Any, Iterator, Mapping, Sequence

from . import plugins
from .analysis import Analysis, Context
from .corpus import Corpus
from .hookspecs import hookimpl
from .params import _TYPES, Parameter
from .report import dumps, envelope_schema

__all__ = [
    "SAMPLE_TEXTS",
    "EDGE_TEXTS",
    "make_corpus",
    "run_analysis",
    "check_analysis",
    "check_parameters",
    "check_evidence",
    "validate_report",
    "iter_spans",
    "registered",
    "ConformanceError",
    "RelkitTestingWarning",
]

# A small corpus of invented news items: quotes, numbers, hedges, a dateline, a URL,
# typographic punctuation, repeated wording across documents, metadata.
SAMPLE_TEXTS: dict[str, str] = {
    "budget": (
        "LONDON, March 3 (Newswire) - The finance minister said on Tuesday that the budget would "
        "cut taxes for 12 million households. \u201cThis is a budget for working families,\u201d she told "
        "parliament. Critics argued the plan could widen the deficit to 4.5% of GDP, and several "
        "economists warned that inflation might rise again next year.\n\n"
        "The opposition leader called the proposals \u201ca gamble with the nation\u2019s future\u201d. "
        "Markets were calm: the pound rose 0.3 percent against the dollar.\n"
    ),
    "flood": (
        "Heavy rain flooded parts of the city overnight, forcing 300 residents from their homes.\n\n"
        "Emergency services said the water level had started to fall by Wednesday morning, but "
        "officials warned that more rain was expected. \"We are not out of the woods yet,\" the "
        "mayor said. Schools in the north of the city will remain closed until Friday.\n\n"
        "More information: https://example.org/flood-updates\n"
    ),
    "budget-reprint": (
        "The finance minister said on Tuesday that the budget would cut taxes for 12 million "
        "households. \u201cThis is a budget for working families,\u201d she told parliament.\n\n"
        "Analysts at two banks said the measures were probably affordable, although they cautioned "
        "that growth forecasts appeared optimistic.\n"
    ),
    "election": (
        "Voters in the region go to the polls on Sunday in an election that observers describe as "
        "the closest in a decade. Polls suggest the two main parties are level at about 34 percent "
        "each. The incumbent governor, Maria Lopez, has promised new investment in rail and "
        "hospitals; her challenger says the region cannot afford it.\n\n"
        "Turnout in the last election was 61 percent. Results are expected early on Monday.\n"
    ),
}

# Documents real corpora contain and analyses must survive: empty, whitespace only, a
# single word, no sentence-final punctuation, non-Latin script, one very long sentence.
EDGE_TEXTS: dict[str, str] = {
    "empty": "",
    "blank": "  \n\t\n",
    "one-word": "Breaking",
    "no-punctuation": "officials confirmed the bridge will reopen next week after repairs",
    "cyrillic": "\u041f\u0440\u0430\u0432\u0438\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e "
                "\u043e\u0431\u044a\u044f\u0432\u0438\u043b\u043e \u043e \u043d\u043e\u0432\u044b\u0445 "
                "\u043c\u0435\u0440\u0430\u0445. \u0426\u0435\u043d\u044b \u0432\u044b\u0440\u043e\u0441\u043b\u0438 "
                "\u043d\u0430 5%.",
    "long-sentence": "The council, which met on Monday, agreed, after a long debate in which members "
                     + ", ".join(f"speaker {i} raised point {i}" for i in range(1, 40)) + ", to delay the vote.",
}

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class ConformanceError(AssertionError):
    """check_analysis found problems; ``problems`` lists them, one line each."""

    def __init__(self, analysis: str, problems: Sequence[str]) -> None:
        self.analysis = analysis
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"analysis {analysis!r} does not conform ({len(self.problems)} problem(s)):\n{lines}")


class RelkitTestingWarning(UserWarning):
    """A check that could not run (e.g. jsonschema is not installed)."""


# -- corpora ----------------------------------------------------------------------------
def make_corpus(
    source: Any = None,
    *,
    paths: Sequence[str | os.PathLike[str]] | None = None,
    clean: bool = True,
    metadata: Sequence[dict[str, Any]] | Mapping[str, dict[str, Any]] | None = None,
    text_field: str = "text",
    id_field: str = "id",
) -> Corpus:
    """A corpus for tests.

    ``source`` may be: a list of strings (ids ``doc0``, ``doc1``…), a dict of id to text,
    one string (a one-document corpus ``doc0``), a :class:`pathlib.Path` or a list of them
    (files, directories or globs, read with every registered format exactly as
    ``relkit analyze`` reads them), a :class:`~relkit.Corpus` (returned as is), or None
    for :data:`SAMPLE_TEXTS`.  ``paths=`` takes file names given as plain strings.
    ``clean`` runs the same cleaning as the CLI (``False`` is ``--no-clean``).
    ``metadata``: one dict per document (a list in order, or a dict by id).
    """
    from .api import load_corpus

    if paths is not None:
        if source is not None:
            raise TypeError("make_corpus: give either texts or paths=, not both")
        return load_corpus(*[os.fspath(p) for p in paths], clean=clean, text_field=text_field, id_field=id_field)
    if source is None:
        source = SAMPLE_TEXTS
    if isinstance(source, Corpus):
        return source
    if isinstance(source, os.PathLike):
        source = [source]
    if isinstance(source, (list, tuple)) and source and all(isinstance(s, os.PathLike) for s in source):
        return load_corpus(*[os.fspath(p) for p in source], clean=clean, text_field=text_field, id_field=id_field)
    if isinstance(source, str):
        source = [source]
    if isinstance(source, Mapping):
        items = [(str(k), v) for k, v in source.items()]
    else:
        items = [(f"doc{i}", t) for i, t in enumerate(source)]
    for doc_id, text in items:
        if not isinstance(text, str):
            raise TypeError(f"make_corpus: the text of {doc_id!r} is {type(text).__name__}, not a string "
                            "(to read files, pass pathlib.Path objects or paths=[...])")
    metas: list[dict[str, Any] | None]
    if metadata is None:
        metas = [None] * len(items)
    elif isinstance(metadata, Mapping):
        metas = [metadata.get(doc_id) for doc_id, _ in items]
    else:
        if len(metadata) != len(items):
            raise ValueError(f"make_corpus: {len(metadata)} metadata dicts for {len(items)} documents")
        metas = list(metadata)
    from .corpus import Document

    return Corpus([Document(doc_id, text, clean_text=clean, metadata=m) for (doc_id, text), m in zip(items, metas)])


# -- running ----------------------------------------------------------------------------
def _throwaway_module(cls: type[Analysis]) -> types.ModuleType:
    module = types.ModuleType(f"relkit_testing_{cls.name}")

    @hookimpl
    def register_analyses(register):
        register(cls)

    module.register_analyses = register_analyses  # type: ignore[attr-defined]
    return module


@contextlib.contextmanager
def registered(analysis: str | type[Analysis], *, plugins_dir: str | os.PathLike[str] | None = None) -> Iterator[str]:
    """Make ``analysis`` available by name for the ``with`` block; yields its name.

    A name must be registered by a loaded plugin.  A class already registered is used as
    is; otherwise it is registered through a throwaway plugin, and a plugin that registers
    another analysis of the same name is set aside, both undone in ``finally``.
    """
    plugins.load_plugins()
    if plugins_dir is not None:
        plugins.load_plugins_dir(plugins_dir)
    if isinstance(analysis, str):
        reg = plugins.registry()
        if analysis not in reg.analyses:
            failed = [f for f in reg.failures if f.plugin == analysis]
            why = f"; plugin {analysis!r} failed at {failed[0].stage}: {failed[0].error}" if failed else ""
            raise LookupError(f"no analysis named {analysis!r} is registered (known: {', '.join(reg.analyses) or 'none'}){why}")
        yield analysis
        return
    if not (isinstance(analysis, type) and issubclass(analysis, Analysis)):
        raise TypeError(f"expected an analysis name or an Analysis subclass, got {analysis!r}")
    if not analysis.name:
        raise ValueError(f"{analysis.__qualname__} has no name")
    reg = plugins.registry()
    if reg.analyses.get(analysis.name) is analysis:
        yield analysis.name
        return
    set_aside: list[tuple[str, Any]] = []
    owner = reg.analysis_plugin.get(analysis.name)
    if owner is not None:
        obj = plugins.pm.get_plugin(owner)
        if obj is not None:
            plugins.pm.unregister(obj)
            set_aside.append((owner, obj))
    module = _throwaway_module(analysis)
    plugins.pm.register(module, name=module.__name__)
    try:
        yield analysis.name
    finally:
        if plugins.pm.is_registered(module):
            plugins.pm.unregister(module)
        for name, obj in set_aside:
            if not plugins.pm.is_registered(obj):
                plugins.pm.register(obj, name=name)


def _run(name: str, corpus: Corpus, params: Mapping[str, Any] | None, *, cache: Any = None, strict: bool = False):
    from .api import plan

    p = plan(corpus, only=[name], params={name: dict(params or {})}, jobs=1, strict=strict, cache=cache)
    runs = [r for r in p.runs() if r.name == name]
    if cache is not None:
        cache.close()
    return runs[-1]


def run_analysis(
    analysis: str | type[Analysis],
    corpus: Any = None,
    params: Mapping[str, Any] | None = None,
    *,
    strict: bool = False,
    plugins_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Run one analysis as ``relkit analyze --only NAME -p NAME.k=v`` does; return its report.

    ``params`` are the analysis's own (``{"k": 5}`` or ``{"k": "5"}``: strings are parsed
    as on the command line).  A failing analysis gives an ``ok: false`` report, or with
    ``strict=True`` raises :class:`relkit.AnalysisError` with the traceback.
    ``corpus`` is anything :func:`make_corpus` takes.
    """
    corpus = make_corpus(corpus)
    with registered(analysis, plugins_dir=plugins_dir) as name:
        return _run(name, corpus, params, strict=strict).report


# -- checks -----------------------------------------------------------------------------
def check_parameters(cls: type[Analysis]) -> list[str]:
    """Problems with an analysis's declared name, description, version and parameters."""
    problems: list[str] = []
    if not isinstance(cls.name, str) or not _NAME_RE.match(cls.name):
        problems.append(f"name {cls.name!r} must start with a letter and hold only letters, digits, - and _ "
                        "(it is typed in -p NAME.param=value and --only NAME)")
    if not isinstance(cls.description, str) or not cls.description.strip():
        problems.append("description is empty: `relkit analyses` shows it to users")
    if not isinstance(cls.version, str) or not cls.version:
        problems.append(f"version {cls.version!r} must be a non-empty string (it keys the result cache)")
    if not (cls.has_document_part() or cls.has_corpus_part()):
        problems.append("defines neither analyze_document nor analyze_corpus")
    params = cls.parameters
    if not isinstance(params, (tuple, list)):
        problems.append(f"parameters must be a tuple of Parameter, got {type(params).__name__}")
        return problems
    seen: set[str] = set()
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            problems.append(f"parameters[{i}] is {p!r}, not a relkit.Parameter")
            continue
        label = f"parameter {p.name!r}"
        if not p.name.isidentifier():
            problems.append(f"{label}: name is not an identifier")
        if p.name in seen:
            problems.append(f"{label}: declared twice")
        seen.add(p.name)
        if p.type not in _TYPES:
            problems.append(f"{label}: unknown type {p.type!r} (one of {', '.join(_TYPES)})")
            continue
        if not p.help.strip():
            problems.append(f"{label}: no help text (`relkit analyses` shows it to users)")
        if p.default is None and not p.nullable:
            problems.append(f"{label}: default is None but the parameter is not nullable=True")
        else:
            try:
                parsed = p.parse(p.default)
            except ValueError as e:
                problems.append(f"{label}: default {p.default!r} does not parse: {e}")
            else:
                if parsed != p.default and not (p.type == "list" and list(p.default or []) == parsed):
                    problems.append(f"{label}: default {p.default!r} parses to {parsed!r}; declare the typed value")
                try:
                    if p.parse(_as_command_line(p.default)) != parsed:
                        problems.append(f"{label}: default {p.default!r} does not survive -p {p.name}={_as_command_line(p.default)}")
                except ValueError as e:
                    problems.append(f"{label}: default written on the command line does not parse: {e}")
        if p.choices is not None:
            for c in p.choices:
                try:
                    if p.parse(_as_command_line(c)) != c:
                        raise ValueError(f"parses to {p.parse(_as_command_line(c))!r}")
                except ValueError as e:
                    problems.append(f"{label}: choice {c!r} cannot be given with -p: {e}")
        if p.minimum is not None and p.maximum is not None and p.minimum > p.maximum:
            problems.append(f"{label}: minimum {p.minimum} is above maximum {p.maximum}")
        try:
            dumps(p.describe())
        except (TypeError, ValueError) as e:
            problems.append(f"{label}: description is not JSON-able: {e}")
    return problems


def _as_command_line(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def _json_path(path: Sequence[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(part)) else f"[{part!r}]")
    return out


def iter_spans(report: Mapping[str, Any]) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """Every evidence span in a report: ``(json_path, doc_id or None, span)``.

    A span is any dict with ``start``, ``end`` and ``text``.  Its document is its own
    ``"doc"``, else the nearest enclosing dict's ``"doc"``, else the ``"id"`` of the
    ``result.documents`` entry it sits in.
    """
    result = report.get("result") if "result" in report and "ok" in report else report

    def walk(obj: Any, path: list[Any], doc: str | None) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
        if isinstance(obj, dict):
            if isinstance(obj.get("doc"), str):
                doc = obj["doc"]
            if "start" in obj and "end" in obj and "text" in obj:
                yield _json_path(path), doc, obj
            for k, v in obj.items():
                yield from walk(v, [*path, k], doc)
        elif isinstance(obj, (list, tuple)):
            for i, v in enumerate(obj):
                yield from walk(v, [*path, i], doc)

    if not isinstance(result, dict):
        return
    root = ["result"]
    for k, v in result.items():
        if k == "documents" and isinstance(v, list):
            for i, entry in enumerate(v):
                doc = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
                yield from walk(entry, [*root, k, i], doc)
        else:
            yield from walk(v, [*root, k], None)


def check_evidence(report: Mapping[str, Any], corpus: Corpus) -> list[str]:
    """Problems with the evidence spans of ``report`` (offsets index ``doc.text``)."""
    problems: list[str] = []
    ids = {d.id: d for d in corpus}
    for path, doc_id, span in iter_spans(report):
        start, end, text = span["start"], span["end"], span["text"]
        if doc_id is None:
            problems.append(f"{path}: evidence span outside a result.documents entry has no \"doc\" naming its document")
            continue
        doc = ids.get(doc_id)
        if doc is None:
            problems.append(f"{path}: evidence span names document {doc_id!r}, which is not in the corpus")
            continue
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            problems.append(f"{path}: start/end must be integers, got {start!r}, {end!r}")
            continue
        if not isinstance(text, str):
            problems.append(f"{path}: text must be a string, got {type(text).__name__}")
            continue
        if not 0 <= start <= end <= len(doc.text):
            problems.append(f"{path}: span {start}:{end} is outside document {doc_id!r} (length {len(doc.text)})")
            continue
        actual = doc.text[start:end]
        if actual != text:
            problems.append(f"{path}: doc {doc_id!r}[{start}:{end}] is {_short(actual)}, but the span's text is {_short(text)}")
    return problems


def _short(s: str, n: int = 60) -> str:
    return repr(s if len(s) <= n else s[: n - 1] + "\u2026")


def _non_json(obj: Any, path: list[Any]) -> str | None:
    if obj is None or isinstance(obj, (str, bool, int)):
        return None
    if isinstance(obj, float):
        return None  # NaN/inf are written as null by the report writer
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not isinstance(k, str):
                return f"{_json_path(path)}: key {k!r} is {type(k).__name__}, not a string"
            found = _non_json(v, [*path, k])
            if found:
                return found
        return None
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            found = _non_json(v, [*path, i])
            if found:
                return found
        return None
    return f"{_json_path(path)}: {type(obj).__module__}.{type(obj).__name__} is not JSON (use lists, dicts, str, int, float, bool, None)"


def validate_report(report: Mapping[str, Any]) -> list[str]:
    """Problems validating ``report`` against the envelope JSON Schema (needs jsonschema)."""
    try:
        import jsonschema
    except ImportError:
        warnings.warn("jsonschema is not installed, so the report was not validated against the envelope schema "
                      "(pip install jsonschema, or relkit[test])", RelkitTestingWarning, stacklevel=3)
        return []
    validator = jsonschema.Draft202012Validator(envelope_schema())
    out = []
    for err in sorted(validator.iter_errors(report), key=lambda e: list(map(str, e.absolute_path))):
        out.append(f"{_json_path(list(err.absolute_path))}: envelope schema: {err.message}")
    return out


def _problems_in_report(report: dict[str, Any], corpus: Corpus, run: Any, label: str) -> list[str]:
    problems: list[str] = []
    if not report.get("ok"):
        err = report.get("error") or {}
        tb = f"\n{run.traceback}" if getattr(run, "traceback", "") else ""
        return [f"{label}: the analysis failed: {err.get('type')}: {err.get('message')}{tb}"]
    bad = _non_json(report, [])
    if bad:
        problems.append(f"{label}: {bad}")
        return problems
    problems += [f"{label}: {p}" for p in validate_report(report)]
    result = report.get("result")
    if isinstance(result, dict) and "documents" in result:
        docs = result["documents"]
        if not isinstance(docs, list) or not all(isinstance(d, dict) and isinstance(d.get("id"), str) for d in docs):
            problems.append(f"{label}: $.result.documents must be a list of objects with an \"id\"")
        else:
            ids = {d.id for d in corpus}
            unknown = [d["id"] for d in docs if d["id"] not in ids]
            if unknown:
                problems.append(f"{label}: $.result.documents names documents not in the corpus: {unknown[:5]}")
    ids = {d.id for d in corpus}
    for i, w in enumerate(report.get("warnings") or []):
        if isinstance(w, dict) and "doc" in w and w["doc"] not in ids:
            problems.append(f"{label}: $.warnings[{i}] names document {w['doc']!r}, which is not in the corpus")
    bad_spans = check_evidence(report, corpus)
    problems += [f"{label}: {p}" for p in bad_spans[:10]]
    if len(bad_spans) > 10:
        problems.append(f"{label}: … and {len(bad_spans) - 10} more bad evidence spans")
    if bad_spans:
        problems.append(f"{label}: evidence offsets must index doc.text (the original, not clean_text); "
                        "build spans with doc.span(start, end) and map clean offsets with doc.to_original(i)")
    return problems


def check_analysis(
    analysis: str | type[Analysis],
    corpus: Any = None,
    params: Mapping[str, Any] | None = None,
    *,
    edge_cases: bool = True,
    cache: bool = True,
    require_evidence: bool = False,
    plugins_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Check that an analysis behaves as relkit expects; return its report on ``corpus``.

    Checks, all of them, then raises :class:`ConformanceError` listing every problem:

    1. name, description, version and parameters are valid (names are identifiers, types
       are known, defaults parse and survive the command line, help is given);
    2. the run succeeds (``ok: true``) and the report is JSON that validates against the
       envelope schema, with every ``result.documents`` entry naming a corpus document;
    3. every evidence span (a dict with ``start``, ``end`` and ``text``) points at its
       quoted text: ``doc.text[start:end] == text``; outside a ``result.documents`` entry
       it names its document with ``"doc"``;
    4. two runs give byte-identical JSON, and so do a cold and a warm run through the
       result cache (``cache=False`` skips that); the analysis does not modify the corpus;
    5. with ``edge_cases`` it also runs on :data:`EDGE_TEXTS` (empty, one-word, non-Latin
       documents…) and must succeed there with valid evidence;
    6. with ``require_evidence`` the report must hold at least one evidence span;
    7. an analysis with ``analyze_documents`` gives each document of a batch (the whole
       corpus, and the edge cases) exactly what ``analyze_document`` gives it alone.

    ``corpus`` is anything :func:`make_corpus` takes (default: :data:`SAMPLE_TEXTS`).
    """
    corpus = make_corpus(corpus)
    with registered(analysis, plugins_dir=plugins_dir) as name:
        cls = plugins.registry().analyses[name]
        problems = check_parameters(cls)
        try:
            pickle.loads(pickle.dumps(cls))
        except Exception as e:
            problems.append(f"the class cannot be pickled ({type(e).__name__}: {e}); define it at module level, "
                            "since `relkit analyze -j N` sends it to worker processes")
        before = corpus.fingerprint()
        first = _run(name, corpus, params)
        report = first.report
        problems += _problems_in_report(report, corpus, first, "sample run")
        if report.get("ok") and _non_json(report, []) is None:
            text1 = dumps(report)
            second = _run(name, corpus, params)
            if dumps(second.report) != text1:
                problems.append("two runs on the same input gave different JSON: " + _first_difference(text1, dumps(second.report))
                                + " (seed randomness, sort with a tie-break, keep timings out of the result)")
            if cache and cls.has_document_part():
                from .cache import ResultCache

                with tempfile.TemporaryDirectory(prefix="relkit-check-") as tmp:
                    cold = _run(name, corpus, params, cache=ResultCache(tmp))
                    warm_cache = ResultCache(tmp)
                    warm = _run(name, corpus, params, cache=warm_cache)
                    for label, r in (("a cold cached run", cold), ("a warm cached run", warm)):
                        if dumps(r.report) != text1:
                            problems.append(f"{label} gave different JSON from an uncached run: "
                                            + _first_difference(text1, dumps(r.report))
                                            + " (per-document results must be JSON-able: lists, dicts, str, int, float)")
                    if warm_cache.hits == 0 and len(corpus):
                        problems.append("the warm cached run found no cached per-document results "
                                        "(are they JSON-able?)")
            if require_evidence and not any(True for _ in iter_spans(report)):
                problems.append("the report holds no evidence span ({\"start\", \"end\", \"text\"}) although require_evidence=True")
        if corpus.fingerprint() != before:
            problems.append("the corpus changed during the run: analyses must not modify documents")
        if edge_cases:
            edge = make_corpus(EDGE_TEXTS)
            run = _run(name, edge, params)
            problems += _problems_in_report(run.report, edge, run, "edge-case run (empty, one-word, non-Latin documents)")
        if cls.has_batch_part():
            problems += _check_batches(cls, name, [corpus] + ([make_corpus(EDGE_TEXTS)] if edge_cases else []), params)
    if problems:
        raise ConformanceError(name, problems)
    return report


def _check_batches(cls: type[Analysis], name: str, corpora: Sequence[Corpus], params: Mapping[str, Any] | None) -> list[str]:
    """``analyze_documents`` on a whole corpus gives each document what ``analyze_document`` gives it."""
    from .params import resolve_parameters

    p = resolve_parameters({name: cls.parameters}, {name: dict(params or {})})[name]
    inst = cls()
    for corpus in corpora:
        docs = list(corpus)
        try:
            together = inst.analyze_documents(docs, Context(p, name))
            alone = [inst.analyze_document(d, Context(p, name)) for d in docs]
        except Exception as e:
            return [f"analyze_documents or analyze_document raised {type(e).__name__}: {e}"]
        if len(together) != len(docs):
            return [f"analyze_documents returned {len(together)} results for {len(docs)} documents"]
        for d, a, b in zip(docs, together, alone):
            if dumps(a) != dumps(b):
                return [f"analyze_documents gave document {d.id!r} a different result from analyze_document: "
                        + _first_difference(dumps(b), dumps(a))]
    return []


def _first_difference(a: str, b: str) -> str:
    i = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    line = a.count("\n", 0, i) + 1
    return f"first difference at line {line}: {_short(a[max(0, i - 30): i + 30])} vs {_short(b[max(0, i - 30): i + 30])}"


# -- pytest plugin ----------------------------------------------------------------------
try:  # fixtures only when pytest is installed; relkit itself never needs it
    import pytest
except ImportError:  # pragma: no cover
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture
    def relkit_corpus() -> Corpus:
        """The sample corpus (:data:`SAMPLE_TEXTS`): four short news items, cleaned."""
        return make_corpus(SAMPLE_TEXTS)

    @pytest.fixture
    def relkit_edge_corpus() -> Corpus:
        """Awkward documents (:data:`EDGE_TEXTS`): empty, blank, one word, Cyrillic…"""
        return make_corpus(EDGE_TEXTS)

    @pytest.fixture
    def register_plugin():
        """``register_plugin(obj, name=None)``: register a plugin for this test only.

        ``obj`` is a module or object with ``@hookimpl`` functions, or an Analysis class
        (wrapped in a throwaway plugin).  Everything is unregistered in ``finally``.
        """
        plugins.load_plugins()
        done: list[Any] = []

        def register(obj: Any, name: str | None = None) -> Any:
            target = _throwaway_module(obj) if isinstance(obj, type) and issubclass(obj, Analysis) else obj
            plugins.pm.register(target, name=name)
            done.append(target)
            return obj

        try:
            yield register
        finally:
            for target in reversed(done):
                if plugins.pm.is_registered(target):
                    plugins.pm.unregister(target)
