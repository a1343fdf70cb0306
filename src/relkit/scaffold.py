"""``relkit new-plugin NAME``: write a plugin package that installs and passes its own tests.

The package has a ``pyproject.toml`` declaring the ``relkit`` entry point, a plugin module
with one working analysis (one parameter, per-document evidence spans, a corpus summary),
a README and tests built on :mod:`relkit.testing`.  Nothing is overwritten: an existing,
non-empty target directory is refused, and files are written to a temporary directory
that is renamed into place only when complete.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

__all__ = ["PluginNames", "plugin_names", "render", "write_plugin", "new_plugin"]

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class PluginNames:
    """Every name derived from the one the user typed."""

    analysis: str  # "my-thing": the analysis and entry-point name (-p my-thing.min_words=…)
    module: str  # "relkit_my_thing": the import package
    distribution: str  # "relkit-my-thing": the name pip knows
    cls: str  # "MyThing": the Analysis subclass


def plugin_names(name: str) -> PluginNames:
    """Derive the names; raises ValueError for a name that cannot be an analysis name."""
    if not _NAME_RE.match(name):
        raise ValueError(f"plugin name {name!r} must start with a letter and hold only letters, digits, - and _")
    base = name.lower()
    for prefix in ("relkit-", "relkit_"):
        if base.startswith(prefix) and len(base) > len(prefix):
            base = base[len(prefix):]
    if not base[0].isalpha():
        raise ValueError(f"plugin name {name!r} must start with a letter after any relkit- prefix")
    parts = [p for p in re.split(r"[-_]+", base) if p]
    module = "relkit_" + "_".join(parts)
    cls = "".join(p[:1].upper() + p[1:] for p in parts)
    if cls[0].isdigit():
        cls = "Analysis" + cls
    return PluginNames(analysis=base, module=module, distribution="relkit-" + "-".join(parts), cls=cls)


_PYPROJECT = '''\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{distribution}"
version = "0.1.0"
description = "A relkit plugin: the {analysis} analysis."
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["relkit>={relkit_version}"]

[project.optional-dependencies]
test = ["pytest>=7", "jsonschema>=4.18"]

# This line is what makes relkit find the plugin once the package is installed.
[project.entry-points.relkit]
{analysis} = "{module}"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

_MODULE = '''\
"""{distribution}: the ``{analysis}`` analysis for relkit.

It finds long sentences (at least ``min_words`` words) in each document, with their
offsets, and reports how common they are in the corpus.  Replace the bodies of
``analyze_document`` and ``analyze_corpus`` with your own analysis; keep returning
JSON-able dicts and building evidence with ``doc.span(start, end)``.

Guide: docs/writing-plugins.md in the relkit repository.
"""

from __future__ import annotations

from relkit import Analysis, Parameter, hookimpl

__version__ = "0.1.0"


class {cls}(Analysis):
    name = "{analysis}"
    description = "Long sentences: those of at least min_words words, with their offsets, per document and overall."
    version = "1"  # bump when results change, so cached results are recomputed
    parameters = (
        Parameter("min_words", "int", 40, "a sentence of at least this many words is long", minimum=1),
    )

    def analyze_document(self, doc, ctx):
        """One document's result: runs once per document, possibly in another process."""
        long_sentences = []
        for i, sentence in enumerate(doc.sentences):
            words = [t for t in doc.sentence_tokens(i) if t.kind in ("word", "number")]
            if len(words) >= ctx.params.min_words:
                # An evidence span: doc.text[start:end] is the sentence, exactly as read.
                long_sentences.append(doc.span(sentence.start, sentence.end, words=len(words)))
        if not doc.words:
            ctx.warn("no words in this document", doc=doc.id)
        return {{
            "sentences": len(doc.sentences),
            "long": len(long_sentences),
            "long_sentences": long_sentences,
        }}

    def analyze_corpus(self, corpus, ctx, documents):
        """The corpus-level result, from the per-document results (merged into the report)."""
        sentences = sum(d["sentences"] for d in documents)
        long = sum(d["long"] for d in documents)
        return {{
            "sentences": sentences,
            "long": long,
            "share_long": long / sentences if sentences else None,
            "documents_with_long": [d["id"] for d in documents if d["long"]],
        }}


@hookimpl
def register_analyses(register):
    register({cls})
'''

_TESTS = '''\
"""Tests for the {analysis} analysis, using relkit's test kit (relkit.testing)."""

from importlib.metadata import PackageNotFoundError, distribution

import pytest

from relkit import ParameterError
from relkit.testing import check_analysis, make_corpus, run_analysis

from {module} import {cls}

TEXT = (
    "Short sentence here. "
    "This one has exactly eight words in it. "
    "Tiny."
)


def test_conforms_to_relkit():
    # Valid parameters, a report that fits the envelope schema, evidence offsets that
    # point at their text, byte-identical JSON across runs, no failure on odd documents.
    check_analysis({cls}, params={{"min_words": 10}}, require_evidence=True)


def test_finds_long_sentences_with_offsets():
    corpus = make_corpus({{"a": TEXT}})
    report = run_analysis({cls}, corpus, {{"min_words": 8}})
    assert report["ok"]
    (doc,) = report["result"]["documents"]
    assert doc["sentences"] == 3
    assert doc["long"] == 1
    span = doc["long_sentences"][0]
    assert span["text"] == "This one has exactly eight words in it."
    assert TEXT[span["start"]:span["end"]] == span["text"]
    assert span["words"] == 8
    assert report["result"]["share_long"] == pytest.approx(1 / 3, abs=1e-6)


def test_parameter_is_validated_before_work_starts():
    with pytest.raises(ParameterError):
        run_analysis({cls}, make_corpus([TEXT]), {{"min_words": 0}})


def test_sample_corpus(relkit_corpus):
    report = run_analysis({cls}, relkit_corpus, {{"min_words": 1}})
    documents = report["result"]["documents"]
    assert [d["id"] for d in documents] == [d.id for d in relkit_corpus]
    assert all(d["long"] == d["sentences"] for d in documents)


def test_installed_plugin_is_found():
    try:
        distribution("{distribution}")
    except PackageNotFoundError:
        pytest.skip("{distribution} is not installed (pip install -e .)")
    from relkit import plugins

    plugins.load_plugins()
    assert plugins.registry().analysis_plugin["{analysis}"] == "{analysis}"
'''

_README = '''\
# {distribution}

A [relkit](https://github.com/relkit/relkit) plugin that adds the `{analysis}` analysis:
long sentences (at least `min_words` words) in each document, with their character
offsets, and how common they are across the corpus.

## Install

```sh
pip install -e .            # or: pip install -e '.[test]' to run the tests
relkit plugins              # lists "{analysis}"
relkit analyses             # shows its parameters
```

## Use

```sh
relkit analyze corpus/ --only {analysis}
relkit analyze corpus/ --only {analysis} -p {analysis}.min_words=30
```

| parameter | type | default | meaning |
|---|---|---|---|
| `min_words` | int ≥ 1 | 40 | a sentence of at least this many words is long |

The report's `result` holds `documents` (one entry per document: `sentences`, `long`,
`long_sentences` as evidence spans `{{"start", "end", "text", "words"}}` whose offsets
index the original text) and corpus totals `sentences`, `long`, `share_long`,
`documents_with_long`.

## Develop

```sh
pip install -e '.[test]'
pytest
```

The tests use `relkit.testing.check_analysis`, the conformance check relkit's own
analyses pass. Edit `src/{module}/__init__.py`; bump `version` in the class whenever
results change so cached results are recomputed.
'''

_GITIGNORE = '''\
__pycache__/
*.egg-info/
build/
dist/
.pytest_cache/
'''


def render(names: PluginNames) -> dict[str, str]:
    """The files of the package, by relative path."""
    from . import __version__

    fields = {
        "analysis": names.analysis,
        "module": names.module,
        "distribution": names.distribution,
        "cls": names.cls,
        "relkit_version": __version__,
    }
    return {
        "pyproject.toml": _PYPROJECT.format(**fields),
        "README.md": _README.format(**fields),
        ".gitignore": _GITIGNORE,
        f"src/{names.module}/__init__.py": _MODULE.format(**fields),
        f"tests/test_{names.analysis.replace('-', '_')}.py": _TESTS.format(**fields),
    }


def write_plugin(name: str, directory: str | os.PathLike[str] | None = None) -> Path:
    """Write the package for ``name`` into ``directory`` (default ``./NAME``); return its path.

    Raises FileExistsError if ``directory`` exists and is not empty, ValueError for a bad name.
    """
    names = plugin_names(name)
    target = Path(directory if directory is not None else name)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target}: already exists; not overwriting it (choose another NAME or --dir)")
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        for rel, text in render(names).items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        if target.is_dir():
            target.rmdir()  # empty: checked above
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


@click.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=True), default=None,
              help="Directory to create [default: ./NAME]. Never overwritten.")
def new_plugin(name: str, directory: str | None) -> None:
    """Write a plugin package skeleton for the analysis NAME.

    \b
    relkit new-plugin mything
    pip install -e 'mything[test]'
    relkit plugins && relkit analyze corpus/ --only mything
    pytest mything
    """
    from . import plugins

    try:
        names = plugin_names(name)
    except ValueError as e:
        click.echo(f"relkit: error: {e}", err=True)
        sys.exit(2)
    plugins.load_plugins()
    taken = plugins.registry().analysis_plugin.get(names.analysis)
    if taken is not None:
        click.echo(f"relkit: error: an analysis named {names.analysis!r} already exists (plugin {taken!r}); choose another NAME",
                   err=True)
        sys.exit(2)
    try:
        path = write_plugin(name, directory)
    except FileExistsError as e:
        click.echo(f"relkit: error: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        click.echo(f"relkit: error: cannot write the plugin: {e}", err=True)
        sys.exit(2)
    shown = os.fspath(path)
    click.echo(f"relkit: wrote plugin package {names.distribution} (analysis {names.analysis!r}) to {shown}/", err=True)
    click.echo(f"relkit: next: pip install -e '{shown}[test]' && relkit plugins && pytest {shown}", err=True)
    click.echo(shown)
