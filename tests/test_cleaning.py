"""Metadata extraction and artefact removal: every removal logged with offsets into the original."""

from __future__ import annotations

import pytest

import relkit
from relkit.cleaning import clean
from conftest import CORPUS


@pytest.fixture(scope="module")
def sample():
    return relkit.load_corpus(str(CORPUS))


def removed(doc):
    return [(s.step, s.text) for s in doc.cleaning if s.removed]


def test_sample_metadata(sample):
    assert sample["000_fbbc5cfd56b40f15"].metadata == {"date": "2023-02-28", "source": "News.Az"}
    assert sample["001_1cc5cf0e4fa3a9bc"].metadata == {"source": "AZERTAC"}
    assert sample["002_90caf51eb26dd119"].metadata == {"date": "2023-03-01", "source": "TDI", "place": "Baku"}
    assert sample["003_8d831bff95d77092"].metadata == {"date": "2019-11-25", "source": "Trend"}
    assert sample["004_05352d0e9c5baae8"].metadata == {"date": "2020-05-30"}


def test_sample_artefacts_removed_and_logged(sample):
    assert removed(sample["000_fbbc5cfd56b40f15"]) == [
        ("date_line", " date 2023-02-28 "),
        ("font_size_widget", "+ ↺ − 16 px"),
        ("trailing_byline", "News.Az"),
    ]
    assert removed(sample["002_90caf51eb26dd119"]) == [
        ("dateline", "Baku, 1 March 2023 (TDI): "),
        ("promo_line", "Also Read:\xa0United States and Azerbaijan discuss Peace Talks"),
    ]
    assert removed(sample["003_8d831bff95d77092"]) == [
        ("date_line", " date 2019-11-25 "),
        ("byline", "By Trend"),
        ("separator_line", "---"),
        ("promo_line", "Follow us on Twitter @AzerNewsAz"),
    ]
    assert removed(sample["001_1cc5cf0e4fa3a9bc"]) == []


def test_log_offsets_point_into_original(sample):
    for doc in sample:
        for step in doc.cleaning:
            assert doc.text[step.start : step.end] == step.text


def test_clean_text_is_original_minus_removed(sample):
    doc = sample["003_8d831bff95d77092"]
    assert "Follow us" not in doc.clean_text and "By Trend" not in doc.clean_text
    assert doc.clean_text == "".join(doc.text[s:e] for s, e in doc.regions)
    removed_chars = sum(s.end - s.start for s in doc.cleaning if s.removed)
    assert len(doc.clean_text) <= len(doc.text) - removed_chars
    i = doc.clean_text.index("Ph.D.")
    assert doc.text[doc.to_original(i) : doc.to_original(i) + 5] == "Ph.D."


def test_no_clean_keeps_everything(tmp_path):
    text = (CORPUS / "000_fbbc5cfd56b40f15.txt").read_text("utf-8")
    corpus = relkit.load_corpus(str(CORPUS / "000_fbbc5cfd56b40f15.txt"), clean=False)
    doc = corpus[0]
    assert doc.cleaning == () and doc.clean_text == text and doc.metadata == {}


@pytest.mark.parametrize(
    "text,meta,removed_texts",
    [
        ("WASHINGTON, March 3 - The Senate voted.\n", {"place": "WASHINGTON"}, ["WASHINGTON, March 3 - "]),
        ("London, 5 May 2021 (Reuters): Markets fell.", {"place": "London", "date": "2021-05-05", "source": "Reuters"},
         ["London, 5 May 2021 (Reuters): "]),
        ("Body text here.\n\nRead more: other story\n=====\n", {}, ["Read more: other story", "====="]),
        ("Markets fell, AFP reports.", {"source": "AFP"}, []),
        ("Budget Talks Stall\nThe body of the story follows here.", {"title": "Budget Talks Stall"}, []),
    ],
)
def test_general_rules(text, meta, removed_texts):
    r = clean(text)
    assert [s.text for s in r.steps if s.removed] == removed_texts
    for k, v in meta.items():
        assert r.metadata.get(k) == v


def test_source_field_from_jsonl_wins_over_text_cue(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "x", "text": "News.Az reports the talks.", "source": "Given"}\n', encoding="utf-8")
    doc = relkit.load_corpus(str(p))[0]
    assert doc.metadata["source"] == "Given"


def test_source_cue_search_by_lines_equals_whole_text_search():
    import random

    from relkit.cleaning import _SOURCE_CUES, _search_lines

    rx, _hint, inner = _SOURCE_CUES[0]
    rng = random.Random(0)
    pieces = ["AZERTAC", "News.Az", " reports", "\treport", " report", "\n", " ", "reporter", "ABC-DEF", "x", "MID reports\n", "A.Bc", "é"]
    for _ in range(5000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        a, b = rx.search(t), _search_lines(rx, t, inner)
        assert (a.span(), a.group("src")) == (b.span(), b.group("src")) if a else b is None, t
