"""The envelope's JSON Schema, deterministic JSON text, atomic writes."""

from __future__ import annotations

import json
import os

import pytest

import relkit
from relkit import Analysis, hookimpl
from relkit.report import atomic_write, dumps, envelope, envelope_schema
from conftest import CORPUS

jsonschema = pytest.importorskip("jsonschema")


def validate(report):
    jsonschema.Draft202012Validator(envelope_schema()).validate(report)


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(envelope_schema())


def test_ok_and_failed_envelopes_validate_and_bad_ones_do_not():
    ok = envelope(analysis="a", analysis_version="1", plugin="p", plugin_version=None, parameters={},
                  corpus={"documents": 1, "sha256": "0" * 64}, result={"documents": []})
    validate(ok)
    bad = envelope(analysis="a", analysis_version="1", plugin="p", plugin_version=None, parameters={},
                   corpus={"documents": 1, "sha256": "0" * 64}, result=None, error={"type": "E", "message": "m"})
    validate(bad)
    assert bad["ok"] is False and bad["result"] is None
    broken = dict(ok, ok=False)  # ok false without an error object
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    with pytest.raises(jsonschema.ValidationError):
        validate({k: v for k, v in ok.items() if k != "parameters"})


class Floats(Analysis):
    name = "floats_test"
    description = "emits awkward numbers"

    def analyze_corpus(self, corpus, ctx, documents):
        import numpy as np
        return {"third": 1 / 3, "nan": float("nan"), "neg_zero": -0.0, "np": np.float64(2.5), "arr": np.arange(3)}


class FloatsPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Floats)


def test_every_report_validates_and_numbers_are_stable(register_plugin):
    register_plugin(FloatsPlugin(), name="floats-test")
    out = relkit.analyze(relkit.load_corpus(str(CORPUS)), only=["floats_test"])
    rep = out["reports"]["floats_test"]
    validate(json.loads(dumps(rep)))
    assert json.loads(dumps(rep))["result"] == {"third": 0.333333, "nan": None, "neg_zero": 0.0, "np": 2.5, "arr": [0, 1, 2]}


def test_dumps_keeps_unicode_and_is_stable():
    s = dumps({"b": "“Baku”", "a": 1})
    assert "“Baku”" in s and s == dumps({"b": "“Baku”", "a": 1})


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    atomic_write(target, "old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_atomic_write_uses_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "r.json", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644
