"""Shared segmentation and tokens, against boundaries counted by hand on the sample corpus."""

from __future__ import annotations

import pytest

import relkit
from relkit.text import segment


@pytest.fixture(scope="module")
def sample():
    return relkit.load_corpus(str(__import__("conftest").CORPUS))


# Counted by hand, after cleaning (date line, widget, byline, separator, Follow-us line removed).
HAND_COUNTED_SENTENCES = {
    "000_fbbc5cfd56b40f15": 10,  # one sentence per paragraph; "News.Az reports." ends the first
    "001_1cc5cf0e4fa3a9bc": 21,  # 1 + 10 + the body repeated (10)
    "003_8d831bff95d77092": 18,  # 1+1+3+4+1+3+1+2+1+1 by paragraph
}


@pytest.mark.parametrize("doc_id,expected", sorted(HAND_COUNTED_SENTENCES.items()))
def test_sentence_counts_match_hand_count(sample, doc_id, expected):
    assert len(sample[doc_id].sentences) == expected


def test_first_sentences_of_003_exactly(sample):
    doc = sample["003_8d831bff95d77092"]
    got = [doc.text[s.start : s.end] for s in doc.sentences]
    assert got[0].startswith("The holding of the next Russia-Azerbaijan Interregional Forum")
    assert got[0].endswith("senior lecturer at Saint Petersburg State University, told Trend.")  # Ph.D. does not split
    assert got[2] == (
        "“Therefore, there is every reason to believe that the current Azerbaijan-Russia Interregional Forum "
        "will open up new prospects and opportunities for advancing the interests of Moscow and Baku,” Niyazova noted."
    )
    assert got[16] == "The 10th Russia-Azerbaijan Interregional Forum organized by Russia’s Ministry for Economic Development and Azerbaijan’s Economy Ministry was held Nov. 22-23 in Moscow."
    assert got[4].endswith("on the regional agenda are discussed.”")  # closing quote stays with its sentence


def test_bln_abbreviation_ends_sentence_before_of_course(sample):
    doc = sample["004_05352d0e9c5baae8"]
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    i = next(i for i, t in enumerate(texts) if t.endswith("amounted to $ 3.2 bln."))
    assert texts[i + 1].startswith("Of course, the pandemic")


def test_no_sentence_from_removed_artefacts(sample):
    for doc in sample:
        for s in doc.sentences:
            t = doc.text[s.start : s.end]
            assert "↺" not in t and "Follow us" not in t and t.strip() != "---"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Dr. Smith arrived. He spoke.", ["Dr. Smith arrived.", "He spoke."]),
        ("J. R. R. Tolkien wrote it. It sold.", ["J. R. R. Tolkien wrote it.", "It sold."]),
        ("The U.S. economy grew. Jobs rose.", ["The U.S. economy grew.", "Jobs rose."]),
        ("See News.Az for more. Thanks!", ["See News.Az for more.", "Thanks!"]),
        ("He asked: “Why?” Nobody knew.", ["He asked: “Why?”", "Nobody knew."]),
        ("Prices rose 3.5 pct. in March. The bank said so.", ["Prices rose 3.5 pct. in March.", "The bank said so."]),
        ("HEADLINE IN CAPS\nThe body starts here.", ["HEADLINE IN CAPS", "The body starts here."]),
        ("Wait... what? Yes.", ["Wait... what?", "Yes."]),
        ("", []),
    ],
)
def test_segmentation_cases(text, expected):
    f = segment(text)
    assert [text[s.start : s.end] for s in f.sentences] == expected


def test_hard_wrapped_lines_do_not_split_sentences():
    text = (
        "The Bank of Japan will sell tomorrow a total of 800 billion yen worth of\n"
        "financing bills from its holdings to help absorb a projected money market\n"
        "surplus of 1,300 billion yen, money traders said.\n"
        " Of the total, 400 billion yen will yield 3.8502 pct on sales.\n"
    )
    f = segment(text)
    assert len(f.sentences) == 2


def test_tokens_have_offsets_into_original_and_norms():
    text = "Moscow’s “Russia–Azerbaijan” talks cost $ 3.2 bln. in 2019."
    f = segment(text)
    surface = [text[t.start : t.end] for t in f.tokens]
    assert surface == ["Moscow", "’s", "“", "Russia–Azerbaijan", "”", "talks", "cost", "$", "3.2", "bln.", "in", "2019", "."]
    norms = {text[t.start : t.end]: t.norm for t in f.tokens}
    assert norms["Russia–Azerbaijan"] == "russia-azerbaijan"
    assert norms["’s"] == "'s"
    kinds = {text[t.start : t.end]: t.kind for t in f.tokens}
    assert kinds["3.2"] == "number" and kinds["2019"] == "number" and kinds["“"] == "punct" and kinds["$"] == "symbol"
    stops = {text[t.start : t.end]: t.is_stop for t in f.tokens}
    assert stops["in"] and not stops["talks"]


def test_tokens_only_inside_regions():
    text = "KEEP this. DROP that. KEEP again."
    f = segment(text, [(0, 10), (22, len(text))])
    assert all(not (10 < t.start < 22) for t in f.tokens)
    assert [text[s.start : s.end] for s in f.sentences] == ["KEEP this.", "KEEP again."]


def test_every_token_lies_in_its_sentence(sample):
    for doc in sample:
        for i, s in enumerate(doc.sentences):
            for t in doc.sentence_tokens(i):
                assert s.start <= t.start < t.end <= s.end and t.sent == i


def test_stopword_copy_equals_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as sk
    from relkit.stopwords import ENGLISH_STOP_WORDS
    assert ENGLISH_STOP_WORDS == sk


# The tokenizer's alternatives as first written, one named group each: the fast patterns in
# relkit.text (first-character tests, marker groups, a plain-word shortcut, one split per
# region) must find exactly these tokens, with the same alternative for each.
_REFERENCE_TOKEN_RE = __import__("re").compile(
    r"""
    (?P<url>https?://\S+[^\s.,;:!?)\]"'”’]|www\.\S+[^\s.,;:!?)\]"'”’])
  | (?P<handle>[@#][^\W_][\w]*)
  | (?P<initials>(?:[A-Za-z]\.){2,}(?![A-Za-z]))
  | (?P<grouped>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:st|nd|rd|th|s)?(?![^\W_]|,\d))
  | (?P<word>[^\W_]+(?:[-–‑'’.&/][^\W_]+)*)
  | (?P<ellipsis>\.{3}|…)
  | (?P<term>[.!?]+)
  | (?P<punct>[,;:()\[\]{}"“”‘’«»'\-–—/])
  | (?P<symbol>\S)
    """,
    __import__("re").VERBOSE,
)

_TRICKY = [
    "See https://example.com/a?b=1. Or www.ab, www.a and http:// alone; @handle #tag @_x #1a.",
    "U.S. e.g. i.e. A.B.C.D U.S.A.x J. R. R. Tolkien N.Z.'s",
    "200,000 1,000th 1,234,567.89 12,34 1,000s 1,000,0 1,000a 3.2 10:30 1990s 5-7/8 2,000,",
    "News.Az Russia–Azerbaijan rock’n’roll O'Neil it's John's JOHN'S Jones’ x's's _a_ a_b",
    "Wait... what?! Yes…no. ...\"Quoted.\" ‘single’ «guillemets» (brackets) [x] {y} — – - /",
    "$ 3.2 bln. 5% +1 =2 <3> € £ © ™ ° ½ ² ٣ 北京 Ἀθῆναι Привет, мир! naïve café",
    "end\twith\ttabs\r\nand\u00a0nbsp\u2003em-space\x1cinfo-sep x",
    "ASCII only: U.S. e.g. 1,000th 3.2 it's A_B __x @a_b #1 www.ab http://x.y/z. etc... Inc.? 5% $3 ~`^|\\",
]


def _fast_tokens(text):
    from relkit.text import _GROUP_NAMES, _TOKEN_RE

    return [(m.span(), _GROUP_NAMES[m.lastindex]) for m in _TOKEN_RE.finditer(text)]


@pytest.mark.parametrize("text", _TRICKY)
def test_fast_token_patterns_equal_the_reference(text):
    from relkit.text import _SPLIT_RE

    expected = [(m.span(), m.lastgroup) for m in _REFERENCE_TOKEN_RE.finditer(text)]
    assert _fast_tokens(text) == expected
    # split alternates white space and tokens: the lengths give the same offsets
    parts = _SPLIT_RE.split(text)
    assert "".join(parts) == text and not any(p.strip() for p in parts[0::2])
    pos, spans = 0, []
    for gap, tok in zip(parts[0::2], parts[1::2]):
        pos += len(gap)
        spans.append((pos, pos + len(tok)))
        pos += len(tok)
    assert spans == [span for span, _group in expected]
    if text.isascii():
        from relkit.text import _SPLIT_ASCII_RE

        assert _SPLIT_ASCII_RE.split(text) == parts


def test_fast_token_patterns_on_the_sample_corpus(sample):
    for doc in sample:
        expected = [(m.span(), m.lastgroup) for m in _REFERENCE_TOKEN_RE.finditer(doc.text)]
        assert _fast_tokens(doc.text) == expected


def test_a_surface_always_comes_from_the_same_alternative(sample):
    # The form cache is keyed by surface alone; that is only right if no surface is
    # matched by two different alternatives in different contexts.
    seen = {}
    for text in [d.text for d in sample] + _TRICKY:
        for m in _REFERENCE_TOKEN_RE.finditer(text):
            assert seen.setdefault(m.group(), m.lastgroup) == m.lastgroup, m.group()


def test_segmentation_of_tricky_text_is_stable():
    text = " ".join(_TRICKY) + "\n\nDr. Smith's U.S. Inc.? etc... The end"
    f = segment(text)
    surfaces = [text[t.start : t.end] for t in f.tokens]
    assert "Smith" in surfaces and "'s" in surfaces and "Dr." in surfaces and "Inc." in surfaces
    assert "?" not in surfaces[surfaces.index("Inc.") :][:2]  # the "." of "Inc." takes the "?" with it
    i = surfaces.index("Jones")
    assert surfaces[i : i + 2] == ["Jones", "’"]  # "Jones’" is not a possessive 's
    assert [t.norm for t in f.tokens if text[t.start : t.end] == "JOHN'S"] == []
    assert {text[t.start : t.end]: t.kind for t in f.tokens}["1,234,567.89"] == "number"


def test_region_ending_in_a_newline_is_not_one_line_longer():
    # Two lines and a final newline are not three hard-wrapped lines: the capitalised
    # second line still starts a new sentence.
    text = "Hard drives, etc... for sale\nHARD DRIVES: (all included)\n"
    f = segment(text, [(0, len(text))])
    assert [text[s.start : s.end] for s in f.sentences] == ["Hard drives, etc... for sale", "HARD DRIVES: (all included)"]


def test_one_scan_per_region_equals_one_scan_per_block(sample):
    # Segmentation scans a whole region at once; cutting the region into its blocks first
    # (each block its own region) must give the same tokens and sentences.
    from relkit.text import _blocks

    texts = [(d.text, d.regions) for d in sample]
    tricky = " ".join(_TRICKY) + "\n\nDr. Smith's U.S. Inc.? etc... The end\nNEW HEADLINE\n (Reuters) - Jones’ x.\n\n"
    texts.append((tricky, [(0, len(tricky))]))
    for text, regions in texts:
        blocks = [b for r in regions for b in _blocks(text, *r)]
        assert len(blocks) > len(regions)  # several blocks share a region
        assert segment(text, regions) == segment(text, blocks)


def test_columns_hold_exactly_the_tokens(sample):
    from relkit import Token, TokenColumns

    for doc in sample:
        feats = segment(doc.text, doc.regions)
        cols = feats.columns
        assert isinstance(cols, TokenColumns)
        assert feats._tokens is None  # no Token objects until someone asks for them
        rebuilt = [Token(*row) for row in zip(*cols)]
        assert list(feats.tokens) == rebuilt
        assert feats.tokens is feats.tokens  # built once
        assert all(doc.text[s:e] for s, e in zip(cols.start, cols.end))
        assert all(cols.sent[i] == k for k, s in enumerate(feats.sentences) for i in range(s.first_token, s.last_token))
        assert doc.columns == cols
        assert segment(doc.text, doc.regions) == feats


def test_columns_are_immutable():
    cols = segment("One sentence here. Another one.").columns
    assert cols.norm == ("one", "sentence", "here", ".", "another", "one", ".")
    assert cols.sent == (0, 0, 0, 0, 1, 1, 1)
    with pytest.raises(TypeError):
        cols.norm[0] = "x"  # type: ignore[index]
