"""stderr shows the first warnings of an analysis and a count; the report keeps them all."""

from __future__ import annotations

import json

from click.testing import CliRunner

from relkit import Analysis, hookimpl
from relkit.cli import WARNINGS_SHOWN, cli


class Noisy(Analysis):
    name = "noisy_test"
    description = "one warning per document"
    version = "1"

    def analyze_document(self, doc, ctx):
        ctx.warn("odd document", doc=doc.id)
        return {}


class NoisyPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Noisy)


def _run(tmp_path, *extra):
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Text number {i}."}) + "\n" for i in range(WARNINGS_SHOWN + 5)))
    r = CliRunner().invoke(cli, ["analyze", str(src), "--only", "noisy_test", "--no-cache", "-j", "1", *extra])
    assert r.exit_code == 0, r.output
    return r


def test_first_warnings_then_a_count(register_plugin, tmp_path):
    register_plugin(NoisyPlugin(), name="noisy-test")
    r = _run(tmp_path)
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("relkit: warning: noisy_test")]
    assert len(lines) == WARNINGS_SHOWN + 1
    assert lines[-1] == 'relkit: warning: noisy_test: 5 more warning(s) in its report\'s "warnings" (all of them on stderr with --debug)'
    assert len(json.loads(r.stdout)["reports"]["noisy_test"]["warnings"]) == WARNINGS_SHOWN + 5


def test_debug_shows_every_warning(register_plugin, tmp_path):
    register_plugin(NoisyPlugin(), name="noisy-test")
    r = _run(tmp_path, "--debug")
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("relkit: warning: noisy_test")]
    assert len(lines) == WARNINGS_SHOWN + 5
