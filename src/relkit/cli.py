"""The ``relkit`` command line: a thin layer over the Python API.

stdout carries only JSON; warnings, errors and progress go to stderr.
Exit codes: 0 everything ran; 1 an analysis (or plugin) failed; 2 usage or input error
(including input that was skipped: the rest is still analysed and reported).
"""

from __future__ import annotations

import functools
import os
import sys
import time
from typing import Any, Callable

import click

from . import __version__, plugins
from .api import collect, corpus_summary, load_corpus, plan, read_config
from .cache import ResultCache, default_cache_dir
from .runner import default_jobs
from .errors import RelkitError
from .jsonstream import chunks, write_report
from .report import OutputDir, atomic_write, dumps

EXIT_OK, EXIT_ANALYSIS_FAILED, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"relkit: error: {message}", err=True)
    sys.exit(code)


# A large corpus can give tens of thousands of per-document warnings: stderr shows the first
# few per analysis and a count; the report keeps them all.
WARNINGS_SHOWN = 20


def _warn(message: str) -> None:
    click.echo(f"relkit: warning: {message}", err=True)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """One line on stderr and a documented exit code; a traceback only with --debug/--strict."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.params.get("debug") or ctx.params.get("strict") or os.environ.get("RELKIT_DEBUG"))
        try:
            return fn(*args, **kwargs)
        except RelkitError as e:
            if debug:
                raise
            _fail(str(e), e.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper


def plugin_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--plugins-dir and --disable-plugin, applied before the command runs."""

    def load(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if param.name == "disable_plugin":
            plugins.load_plugins(disabled=value)
        else:
            for d in value:
                plugins.load_plugins_dir(d)
        return value

    fn = click.option("--plugins-dir", multiple=True, type=click.Path(exists=True, file_okay=False), expose_value=False,
                      callback=load, help="Load each .py file in DIR as a plugin (repeatable).")(fn)
    fn = click.option("--disable-plugin", multiple=True, metavar="NAME", expose_value=False, is_eager=True, callback=load,
                      help="Do not load the plugin NAME, built-ins included (repeatable; env RELKIT_DISABLE_PLUGINS).")(fn)
    return fn


def input_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.argument("paths", nargs=-1, required=True),
        click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text."),
        click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id."),
        click.option("--input-format", default=None, metavar="NAME", help="Read every input with this format (text, jsonl, csv, tsv, or a plugin's)."),
        click.option("--no-clean", is_flag=True, help="Keep scraped artefacts; read no metadata from the text."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _load(paths: tuple[str, ...], text_field: str, id_field: str, input_format: str | None, no_clean: bool):
    corpus = load_corpus(*paths, text_field=text_field, id_field=id_field, clean=not no_clean, input_format=input_format)
    for w in corpus.warnings:
        _warn(f"{w}")
    return corpus


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="relkit")
def cli() -> None:
    """relkit: evidence-backed text analysis for news corpora.

    \b
    relkit analyze corpus/            all analyses, one JSON document on stdout
    relkit analyze corpus/ -o out/    one file per analysis plus manifest.json
    relkit report out/ -o report.html one self-contained HTML report
    relkit corpus corpus/             what the analyses will see, as JSON Lines
    relkit analyses                   analyses and their parameters
    relkit plugins                    installed plugins
    """


class _Progress:
    """Per-stage progress on stderr (counts and an estimate), only when it is a terminal.

    The estimate extrapolates from the items done since the stage started, so documents
    read back from the cache (counted at once) do not make it look too short.
    """

    def __init__(self, enabled: bool, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.stage = ""
        self.started = time.monotonic()
        self.first = 0
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.started, self.first = stage, now, done
        if 0 < done < total and now - self.last < 0.2:
            return
        self.last = now
        elapsed = now - self.started
        if done >= total:
            tail = f" in {elapsed:.0f}s" if elapsed >= 1 else ""
        elif done > self.first:
            tail = f", ~{elapsed / (done - self.first) * (total - done):.0f}s left"
        elif total == 1:
            tail = " (corpus-level step)"
        else:
            tail = ""
        end = "\n" if done >= total else ""
        self.stream.write(f"\r\x1b[Krelkit: {stage}: {done}/{total}{tail}{end}")
        self.stream.flush()


def _echo_json(obj: Any, indent: int | None = 2) -> None:
    """``click.echo(dumps(obj))`` written piece by piece: same bytes, no whole-output string."""
    out = sys.stdout  # click.get_text_stream is deprecated; CliRunner swaps sys.stdout too
    chunks(obj, out.write, indent=indent)
    out.write("\n")
    out.flush()


@cli.command()
@input_options
@click.option("-p", "--param", "params", multiple=True, metavar="ANALYSIS.NAME=VALUE", help="Set an analysis parameter (repeatable).")
@click.option("--config", type=click.Path(dir_okay=False), help="TOML file with a table of parameters per analysis.")
@click.option("--only", multiple=True, metavar="NAME", help="Run only these analyses (repeatable or comma-separated).")
@click.option("--skip", multiple=True, metavar="NAME", help="Skip these analyses (repeatable or comma-separated).")
@click.option("-o", "--output", type=click.Path(file_okay=False), help="Write <analysis>.json files and manifest.json to DIR.")
@click.option("--force", is_flag=True, help="With -o: write into a non-empty directory that is not earlier relkit output.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Also write a self-contained HTML report to FILE.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True,
              help="stdout: one JSON document, or one line per analysis as each finishes.")
@click.option("--dedupe", is_flag=True, help="Collapse near-duplicates and repeated passages before the other analyses.")
@click.option("-j", "--jobs", type=int, default=None, help="Processes for per-document work [default: all cores].")
@click.option("--scheduler", metavar="ADDRESS", default=None, help="Run per-document work on this Dask scheduler (e.g. tcp://host:8786).")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help="Result cache, per document and per corpus [default: the user cache dir; env RELKIT_CACHE_DIR].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--strict", is_flag=True, help="Stop at the first failing plugin or analysis, with its traceback.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors, and every analysis warning (not only the first 20 per analysis).")
@click.option("-q", "--quiet", is_flag=True, help="No progress, summary or analysis warnings on stderr (input problems that set the exit code are still shown).")
@plugin_options
@handle_errors
def analyze(paths, text_field, id_field, input_format, no_clean, params, config, only, skip, output, force, html_path, fmt, dedupe,
            jobs, scheduler, cache_dir, no_cache, strict, debug, quiet):
    """Analyse PATHS (files, directories, globs, or - for stdin) and print JSON reports."""
    split = lambda vals: [v.strip() for val in vals for v in val.split(",") if v.strip()]  # noqa: E731
    started = time.time()
    options = read_config(config).get("relkit", {}) if config else {}
    jobs = jobs if jobs is not None else int(options.get("jobs", default_jobs()))
    scheduler = scheduler or options.get("scheduler")
    cache = None
    if not no_cache and not options.get("no_cache", False):
        cache = ResultCache(cache_dir or options.get("cache_dir") or default_cache_dir(), warn=None if quiet else _warn)
    corpus = load_corpus(*paths, text_field=text_field, id_field=id_field, clean=not no_clean, input_format=input_format)
    for w in corpus.warnings:  # shown even with --quiet: they explain exit code 2
        _warn(str(w))
    if not quiet:
        for d in corpus:
            if d.is_empty:
                _warn(f"{d.path or d.id}: empty document (kept; analyses see no text)")
    p = plan(corpus, only=split(only), skip=split(skip), params=list(params), config=config, jobs=jobs, strict=strict,
             dedupe=dedupe, cache=cache, scheduler=scheduler)
    out_dir = OutputDir(output, force=force) if output else None  # refuse a bad directory before any work
    if html_path and not os.path.isdir(os.path.dirname(os.path.abspath(html_path))):
        _fail(f"--html {html_path}: the directory it goes in does not exist")
    if not quiet:
        reported = {f.plugin for f in p.plugin_failures}
        for f in plugins.registry().failures:
            if f.plugin not in reported:
                _warn(f"plugin {f.plugin!r} failed at {f.stage} and was skipped: {f.error}")

    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    runs = []
    timings: dict[str, dict[str, Any]] = {}
    # Writing report files only: results may come as their report text, copied out as it is.
    for run in p.runs(progress=progress, rendered=out_dir is not None and not html_path):
        runs.append(run)
        timings[run.name] = {"seconds": round(run.seconds, 3), "document_seconds": round(run.document_seconds, 3),
                             "corpus_seconds": round(run.corpus_seconds, 3), "cached": run.cached,
                             "corpus_peak_mb": None if run.corpus_peak_bytes is None else round(run.corpus_peak_bytes / 2**20, 1)}
        if run.failed:
            _warn(f"{run.report['analysis']} failed (plugin {run.report['plugin']['name']}): {run.report['error']['message']}")
            if debug and run.traceback:
                click.echo(run.traceback, err=True)
        elif not quiet:
            shown = run.report["warnings"] if debug else run.report["warnings"][:WARNINGS_SHOWN]
            for w in shown:
                where = f" [{w['doc']}]" if "doc" in w else ""
                _warn(f"{run.name}{where}: {w['message']}")
            if len(shown) < len(run.report["warnings"]):
                _warn(f"{run.name}: {len(run.report['warnings']) - len(shown):,} more warning(s) in its report's "
                      f"\"warnings\" (all of them on stderr with --debug)")
        if out_dir is not None:
            # Piece by piece (same bytes as report.dumps): a large report never becomes one string.
            write_report(out_dir.path / f"{run.name}.json", run.report)
            out_dir.written.append(f"{run.name}.json")
            if not html_path:  # written: only what the manifest needs stays in memory
                run.report = {k: run.report[k] for k in ("analysis", "plugin", "ok", "error")}
        elif fmt == "jsonl":
            _echo_json(run.report, indent=None)
    if cache is not None:
        cache.close()
    if not quiet:
        cached = (f"; cache: {cache.hits} hits, {cache.misses} misses; corpus-level: {cache.corpus_hits} reused, "
                  f"{cache.corpus_misses} computed") if cache is not None else ""
        click.echo(f"relkit: {len(corpus)} documents, {len(runs)} analyses in {time.time() - started:.1f}s{cached}", err=True)

    manifest = None
    if out_dir is not None or html_path:
        rank = {name: i for i, name in enumerate(p.names)}
        manifest = {
            "relkit_version": __version__,
            "command": ["relkit", *sys.argv[1:]],
            "corpus": corpus_summary(corpus),
            # Report files may be written in the order their steps end: the manifest lists the analyses in the plan's order.
            "analyses": {r.name: {"ok": not r.failed, "plugin": r.report["plugin"], **timings[r.name]}
                         for r in sorted(runs, key=lambda r: rank.get(r.name, -1))},
            "plugins": [{k: v for k, v in e.items() if k in ("name", "version", "ok")} for e in plugins.plugin_listing()],
            "seconds": round(time.time() - started, 3),
            "jobs": jobs,
            "scheduler": scheduler,
            "cache": {"path": str(cache.path), "hits": cache.hits, "misses": cache.misses, "corpus_hits": cache.corpus_hits,
                      "corpus_misses": cache.corpus_misses} if cache is not None else None,
        }
    if out_dir is not None:
        from .html.data import write_documents  # texts and metadata, so `relkit report DIR` can show evidence

        manifest["documents"] = write_documents(out_dir.path, corpus)
        out_dir.write_manifest(manifest)
    elif fmt == "json":
        _echo_json(collect(p, runs))
    if html_path:
        from .html import render_run

        atomic_write(html_path, render_run(manifest, [r.report for r in runs], corpus))
        if not quiet:
            click.echo(f"relkit: wrote {html_path}", err=True)

    if corpus.warnings:
        sys.exit(EXIT_USAGE)
    if any(r.failed for r in runs):
        sys.exit(EXIT_ANALYSIS_FAILED)


@cli.command("report")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="HTML file to write [default: DIRECTORY/report.html].")
@click.option("--title", default=None, help="Title shown at the top of the report.")
@click.option("--no-texts", is_flag=True, help="Leave the document texts out (smaller file; evidence shows offsets and excerpts only).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@plugin_options
@handle_errors
def report_cmd(directory, output, title, no_texts, debug):
    """Render the reports `relkit analyze -o DIRECTORY` wrote as one self-contained HTML file."""
    from .html import render_directory

    output = output or os.path.join(directory, "report.html")
    page = render_directory(directory, title=title, include_texts=not no_texts)
    try:
        atomic_write(output, page)
    except OSError as e:
        _fail(f"{output}: cannot write: {e.strerror or e}")
    click.echo(f"relkit: wrote {output}", err=True)


@cli.command("corpus")
@input_options
@click.option("--text", "with_text", is_flag=True, help="Include the original and cleaned texts.")
@plugin_options
@handle_errors
def corpus_cmd(paths, text_field, id_field, input_format, no_clean, with_text):
    """Print the loaded documents as JSON Lines: id, metadata, sizes, cleaning log."""
    corpus = _load(paths, text_field, id_field, input_format, no_clean)
    for doc in corpus:
        click.echo(dumps(doc.summary(with_text=with_text), indent=None))
    if corpus.warnings:
        sys.exit(EXIT_USAGE)


@cli.command("plugins")
@plugin_options
@handle_errors
def plugins_cmd():
    """List installed plugins as JSON: name, version, hooks, analyses."""
    plugins.load_plugins()
    click.echo(dumps(plugins.plugin_listing()))


@cli.command("analyses")
@plugin_options
@handle_errors
def analyses_cmd():
    """List analyses as JSON: description, plugin and parameters."""
    plugins.load_plugins()
    reg = plugins.registry()
    out = [{**cls.describe(), "plugin": reg.analysis_plugin[name]} for name, cls in reg.analyses.items()]
    click.echo(dumps(out))


@cli.group("cache")
def cache_group():
    """Inspect or clear the result cache (per-document and corpus-level results)."""


@cache_group.command("info")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help="Cache directory [default: the user cache dir].")
def cache_info(cache_dir):
    """Print the cache's location, size and entries per analysis as JSON."""
    click.echo(dumps(ResultCache(cache_dir or default_cache_dir()).info()))


@cache_group.command("clear")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help="Cache directory [default: the user cache dir].")
def cache_clear(cache_dir):
    """Delete every cached result."""
    n = ResultCache(cache_dir or default_cache_dir()).clear()
    click.echo(dumps({"cleared": n}))


def _register_plugin_commands() -> None:
    plugins.load_plugins()
    for impl in plugins.pm.hook.register_commands.get_hookimpls():
        try:
            impl.function(cli=cli)
        except Exception as e:  # a broken plugin command must not break the CLI
            plugins._state.failures.append(plugins.PluginFailure(plugins._plugin_name(impl), "register", f"{type(e).__name__}: {e}"))


from .scaffold import new_plugin as _new_plugin  # noqa: E402

cli.add_command(_new_plugin)
_register_plugin_commands()


def main() -> None:
    cli(prog_name="relkit")
