"""The Python API: the same functions the CLI calls, for notebooks and scripts."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from . import __version__, plugins
from .corpus import Corpus
from .errors import ParameterError
from .cache import ResultCache
from .loaders import load_paths
from .params import Params, parse_assignments, resolve_parameters
from .report import SCHEMA_VERSION
from .runner import Run, plugin_failure_run, run_analyses, select_analyses

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["load_corpus", "analyze", "Plan", "plan", "read_config"]

# One directory of one-file plugins, or several (str or pathlib.Path each).
PluginDirs = Sequence[str | os.PathLike[str]] | str | os.PathLike[str] | None


def _ensure_plugins(plugins_dir: PluginDirs = None, disable: Sequence[str] = ()) -> None:
    plugins.load_plugins(disabled=disable)
    dirs = [plugins_dir] if isinstance(plugins_dir, (str, os.PathLike)) else list(plugins_dir or [])
    for d in dirs:
        plugins.load_plugins_dir(d)


def load_corpus(
    *paths: str | os.PathLike[str],
    text_field: str = "text",
    id_field: str = "id",
    clean: bool = True,
    input_format: str | None = None,
    stdin: io.BufferedIOBase | None = None,
    plugins_dir: PluginDirs = None,
) -> Corpus:
    """Load files, directories, globs or ``-`` (stdin) into a Corpus, with every registered format."""
    _ensure_plugins(plugins_dir)
    reg = plugins.registry()
    return load_paths(list(paths), reg.loaders, text_field=text_field, id_field=id_field, clean=clean, input_format=input_format, stdin=stdin)


def read_config(path: str | Path) -> dict[str, dict[str, Any]]:
    """A TOML config file: one table per analysis, e.g. ``[topics]`` ``k = 8``."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as e:
        raise ParameterError(f"{path}: cannot read config file: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ParameterError(f"{path}: invalid TOML: {e}") from None
    for key, value in data.items():
        if not isinstance(value, dict):
            raise ParameterError(f"{path}: top-level key {key!r} must be a table named after an analysis, e.g. [{key}]")
    return data


@dataclass
class Plan:
    """A validated run: what to analyse, with what, and how (no work done yet)."""

    corpus: Corpus
    names: list[str]
    analyses: dict[str, Any]
    owners: dict[str, str]
    params: dict[str, Params]
    plugin_failures: list[plugins.PluginFailure]
    jobs: int = 1
    strict: bool = False
    dedupe: bool = False
    cache: Any = None
    scheduler: str | None = None

    def runs(self, progress=None, *, rendered: bool = False) -> Iterator[Run]:
        """The runs, each as it finishes; ``rendered``: results may come as report text (see ``run_analyses``)."""
        info = self.corpus.fingerprint()
        for failure in self.plugin_failures:
            yield plugin_failure_run(failure, info)
        yield from run_analyses(
            self.corpus, self.names, self.analyses, self.params, self.owners,
            jobs=self.jobs, strict=self.strict, dedupe=self.dedupe, progress=progress, cache=self.cache,
            scheduler=self.scheduler, rendered=rendered,
        )
        if self.cache is not None:
            self.cache.flush()


def plan(
    corpus: Corpus,
    *,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    params: Mapping[str, Mapping[str, Any]] | Sequence[str] | None = None,
    config: str | Path | None = None,
    jobs: int = 1,
    strict: bool = False,
    dedupe: bool = False,
    cache: Any = None,
    scheduler: str | None = None,
    plugins_dir: PluginDirs = None,
) -> Plan:
    """Validate everything (analyses, parameters) before any work starts."""
    _ensure_plugins(plugins_dir)
    reg = plugins.registry()
    names = select_analyses(list(reg.analyses), only, skip)
    declared = {n: list(c.parameters) for n, c in reg.analyses.items()}
    sources: list[Mapping[str, Mapping[str, Any]]] = []
    if config is not None:
        # The [relkit] table holds run options (jobs, scheduler, cache_dir), not parameters.
        sources.append({k: v for k, v in read_config(config).items() if k != "relkit"})
    if params:
        sources.append(parse_assignments(list(params)) if not isinstance(params, Mapping) else params)
    resolved = resolve_parameters(declared, *sources)
    if jobs < 1:
        raise ParameterError(f"--jobs must be at least 1, got {jobs}")
    # With --only, a broken plugin the user did not ask for is a warning, not a failed run.
    failures = [f for f in reg.failures if not only or f.plugin in only]
    failures = [f for f in failures if f.plugin not in skip]
    if strict and failures:
        f = failures[0]
        raise plugins.PluginError(f"plugin {f.plugin!r} failed at {f.stage}: {f.error}\n{f.traceback}")
    if cache is True:
        cache = ResultCache()
    elif isinstance(cache, (str, Path)):
        cache = ResultCache(cache)
    elif cache is False:
        cache = None
    return Plan(corpus, names, dict(reg.analyses), dict(reg.analysis_plugin), resolved, failures, jobs, strict, dedupe, cache, scheduler)


def corpus_summary(corpus: Corpus) -> dict[str, Any]:
    """Fingerprint, load warnings and the ids of empty documents (kept, but flagged)."""
    return {
        **corpus.fingerprint(),
        "warnings": [w.to_dict() for w in corpus.warnings],
        "empty_documents": [d.id for d in corpus if d.is_empty],
    }


def collect(p: Plan, runs: Sequence[Run]) -> dict[str, Any]:
    """The single JSON document the CLI prints: corpus summary and every report by name."""
    return {
        "schema_version": SCHEMA_VERSION,
        "relkit_version": __version__,
        "corpus": corpus_summary(p.corpus),
        "reports": {r.name: r.report for r in runs},
    }


def analyze(
    corpus: Corpus,
    *,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    params: Mapping[str, Mapping[str, Any]] | Sequence[str] | None = None,
    config: str | Path | None = None,
    jobs: int = 1,
    strict: bool = False,
    dedupe: bool = False,
    cache: Any = None,
    scheduler: str | None = None,
    plugins_dir: PluginDirs = None,
) -> dict[str, Any]:
    """Run analyses on ``corpus``; the same dict ``relkit analyze`` prints.

    ``cache``: None/False (off), True (the user cache directory), a directory, or a
    :class:`relkit.cache.ResultCache`: per-document results, and the corpus-level result of
    an unchanged corpus, are reused from it (docs/scale.md).  ``scheduler``: a Dask
    scheduler address or Client.
    """
    p = plan(corpus, only=only, skip=skip, params=params, config=config, jobs=jobs, strict=strict, dedupe=dedupe,
             cache=cache, scheduler=scheduler, plugins_dir=plugins_dir)
    return collect(p, list(p.runs()))
