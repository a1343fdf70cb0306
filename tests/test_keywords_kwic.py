"""The ``relkit kwic`` command registered by the keywords plugin."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from relkit import load_corpus
from relkit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _run(*args):
    result = CliRunner().invoke(cli, ["kwic", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, lines


def test_kwic_phrase_on_sample_corpus():
    corpus = load_corpus(str(CORPUS))
    result, lines = _run(str(CORPUS), "South Caucasus", "--width", "20")
    assert result.exit_code == 0, result.output
    assert len(lines) == 7  # 6 in 001 (its body is there twice), 1 in 002
    assert {line["doc"] for line in lines} == {"001_1cc5cf0e4fa3a9bc", "002_90caf51eb26dd119"}
    for line in lines:
        assert set(line) == {"doc", "start", "end", "left", "match", "right"}
        text = corpus[line["doc"]].text
        assert text[line["start"] : line["end"]] == line["match"] == "South Caucasus"
        assert len(line["left"]) <= 20 and len(line["right"]) <= 20
        assert line["right"] == " ".join(text[line["end"] : line["end"] + 20].split(" ")).replace("\n", " ")


def test_kwic_normalises_dashes_case_and_wildcards():
    _, lines = _run(str(CORPUS), "russia-azerbaijan expert council")
    docs = {line["doc"] for line in lines}
    assert "001_1cc5cf0e4fa3a9bc" in docs  # written with an en dash there
    assert any("–" in line["match"] for line in lines) and any("-" in line["match"] for line in lines)
    _, lines = _run(str(CORPUS), "interregion*")
    assert lines and all(line["match"].lower().startswith("interregion") for line in lines)


def test_kwic_phrase_does_not_cross_punctuation_or_sentences(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("The oil spill grew. Oil, spill and water. Spill teams came. An oil spill again.\n")
    _, lines = _run(str(f), "oil spill")
    assert [line["match"] for line in lines] == ["oil spill", "oil spill"]
    assert [line["start"] for line in lines] == [4, 63]


def test_kwic_regex_and_limit():
    _, lines = _run(str(CORPUS), r"\bCorridors?\b", "--regex")
    assert len(lines) >= 2 and all(line["match"].lower().startswith("corridor") for line in lines)
    _, lines = _run(str(CORPUS), "council", "--limit", "3")
    assert len(lines) == 3


def test_kwic_never_matches_removed_artefacts():
    _, lines = _run(str(CORPUS), "Follow us on Twitter")
    assert lines == []
    _, lines = _run(str(CORPUS), "px", "--regex")
    assert lines == []


def test_kwic_bad_regex_is_a_usage_error():
    result, _ = _run(str(CORPUS), "(", "--regex")
    assert result.exit_code == 2


def test_kwic_regex_stays_inside_sentences_and_case_option(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("The oil spill grew. Oil teams came. OIL prices rose.\n")
    _, lines = _run(str(f), r"grew\. Oil", "--regex")
    assert lines == []  # the match would span two sentences
    _, lines = _run(str(f), r"spill grew\.", "--regex")
    assert [(line["start"], line["end"]) for line in lines] == [(8, 19)]
    _, lines = _run(str(f), "oil")
    assert [line["match"] for line in lines] == ["oil", "Oil", "OIL"]
    _, lines = _run(str(f), "Oil", "--case-sensitive")
    assert [(line["start"], line["match"]) for line in lines] == [(20, "Oil")]
    _, lines = _run(str(f), "oil", "--width", "0")
    assert all(line["left"] == "" and line["right"] == "" for line in lines)


def test_kwic_jsonl_input_with_fields(tmp_path):
    f = tmp_path / "n.jsonl"
    f.write_text(json.dumps({"key": "a", "body": "Tanker traffic grew. A tanker ran aground."}) + "\n")
    result, lines = _run(str(f), "tanker", "--text-field", "body", "--id-field", "key")
    assert result.exit_code == 0, result.output
    assert [(line["doc"], line["start"], line["end"]) for line in lines] == [("a", 0, 6), ("a", 23, 29)]
