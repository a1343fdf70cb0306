"""docs/readability.md's recipes run as written and print what the report holds.

Each ``sh`` block of the Recipes section is run with bash (pipefail) from the project
folder, with this Python's ``relkit`` first on PATH; the test is skipped where jq is not
installed (CI installs it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from relkit import analyze, load_corpus
from conftest import CORPUS, ROOT

DOC = ROOT / "docs" / "readability.md"

pytestmark = pytest.mark.skipif(shutil.which("jq") is None, reason="jq not installed (CI installs it)")


def _recipes() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Recipes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def _run(block: str) -> str:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", block], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def report() -> dict:
    return analyze(load_corpus(CORPUS), only=["readability"], cache=None)["reports"]["readability"]["result"]


def test_the_section_holds_the_four_recipes():
    blocks = _recipes()
    assert len(blocks) == 4
    assert all(b.startswith("relkit analyze corpus/") for b in blocks)


def test_csv_recipe(report):
    rows = list(csv.reader(io.StringIO(_run(_recipes()[0]))))
    assert rows[0] == ["id", "words", "sentences", "fk_grade", "consensus_grade", "flags"]
    assert len(rows) == 1 + 5
    by_id = {r[0]: r for r in rows[1:]}
    first = by_id["000_fbbc5cfd56b40f15"]
    assert first[1:3] == ["275", "10"]  # the counts tests/test_readability.py pins by hand
    for d in report["documents"]:
        row = by_id[d["id"]]
        assert float(row[4]) == pytest.approx(d["formulas"]["consensus_grade"], abs=1e-6)  # JSON rounds to 6 places
        assert int(row[5]) == len(d["flags"])


def test_group_recipe(report):
    out = json.loads(_run(_recipes()[1]))
    assert sum(g["documents"] for g in out.values()) == 5
    assert "News.Az" in out
    medians = {d["id"]: d["formulas"]["consensus_grade"] for d in report["documents"]}
    assert out["News.Az"]["median_grade"] == pytest.approx(medians["000_fbbc5cfd56b40f15"], abs=1e-6)


def test_hardest_sentence_recipe_gives_offsets_into_the_text():
    texts = {d.id: d.text for d in load_corpus(CORPUS)}
    lines = _run(_recipes()[2]).splitlines()
    assert len(lines) == 5
    for line in lines:
        doc_id, grade, start, end, head = line.split("\t")
        sentence = texts[doc_id][int(start) : int(end)]
        assert sentence.startswith(head) and float(grade) > 0


def test_unreliable_smog_recipe(report):
    ids = _run(_recipes()[3]).split()
    expected = sorted(d["id"] for d in report["documents"] if not d["reliable"]["smog"])
    assert sorted(ids) == expected
    assert "004_05352d0e9c5baae8" not in ids  # 38 sentences: SMOG's 30 are met
