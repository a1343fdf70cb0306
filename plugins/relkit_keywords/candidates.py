"""Keyphrase candidates from the shared tokens, without a part-of-speech tagger.

A candidate is a run of content words inside one sentence: it stops at punctuation,
symbols, numbers, stopwords and a short list of words that rarely belong to a noun
phrase (reporting verbs, frequent verbs and adverbs).  Because the runs are built from
``doc.sentences``/``doc.tokens``, a candidate never crosses a sentence boundary and never
touches text that cleaning removed (tokens only exist inside kept regions).

Runs longer than ``max_words`` are not dropped: every sub-sequence of at most
``max_words`` words is a candidate; the scorer prefers the ones that recur.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Sequence

from relkit import STOPWORDS

__all__ = ["Candidate", "Occurrence", "extract_candidates", "NON_PHRASE_WORDS", "is_content_word"]

# Words that end or break a noun phrase: reporting verbs, very frequent verb forms,
# discourse adverbs and quantifiers that the general stopword list lacks.  General
# English, not tuned to any corpus.
NON_PHRASE_WORDS: frozenset[str] = frozenset(
    """
    according accordingly add added adding adds admit admitted agreed allow allowed announce announced
    announces appear appeared appears approximately ask asked asking asks believe believed believes
    came claim claimed claims come comes coming consider considered continue continued continues
    decided describe described despite did does doing done expect expected expects feel felt
    find finds found gave get gets getting give given gives giving go goes going gone got
    had has have having held hold holds include included includes including indicated know known
    let lets made make makes making mean means meant met need needed needs noted noting
    particularly plan planned put ran recently reported reportedly reporter reporters reports
    said say saying says see seen seems showed shown spoke stated stressed
    suggested take taken takes taking tell telling tells think thought told took tried try trying
    underlined underscored use used uses using want wanted wants went whether yesterday today
    tomorrow percent per cent
    mr mrs ms dr st including include various several certain including really
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)

_ADVERB_KEEP = frozenset(
    "family italy july supply rally ally assembly monopoly anomaly bully belly jelly holy ugly "
    "sally billy kelly reilly lily emily molly polly apply reply comply multiply".split()
)


def _load_non_nominal() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "non_nominal.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


# Word forms that are only ever verbs or adverbs (derived offline from LemmInflect's
# lexicon, see data/make_verb_list.py): "requires", "betrayed", "exclude", "quickly".
NON_NOMINAL: frozenset[str] = _load_non_nominal()

# After these a lower-case word is almost always a verb ("to exclude", "they contend",
# "would force"): it starts no phrase.
VERB_CONTEXT: frozenset[str] = frozenset(
    """
    to will would shall should can could may might must n't not never cannot
    i you he she we they it who which that
    """.split()
)


def is_content_word(norm: str, kind: str, is_stop: bool) -> bool:
    """Whether a token can be part of a keyphrase."""
    if kind != "word" or is_stop or norm in NON_PHRASE_WORDS:
        return False
    letters = sum(c.isalpha() for c in norm)
    if letters < 2 and not (len(norm) > 2 and letters):  # "a", "x", "'s"; keep "3d", "g-20"
        return False
    if norm.startswith(("@", "#", "http", "www.")):
        return False
    if len(norm) > 4 and norm.endswith("ly") and norm not in _ADVERB_KEEP:
        return False  # adverbs: recently, highly, jointly
    return True


class Occurrence(NamedTuple):
    start: int  # character offsets in the original text
    end: int
    sent: int
    position: int  # index of the first word among the document's words and numbers


class Candidate:
    """A candidate phrase: its normalised words and every occurrence in the document."""

    __slots__ = ("words", "occurrences", "maximal")

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.occurrences: list[Occurrence] = []
        self.maximal = 0  # occurrences that were a whole run (not cut out of a longer run)

    def __repr__(self) -> str:
        return f"Candidate({self.phrase!r}, tf={self.tf})"

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    @property
    def tf(self) -> int:
        return len(self.occurrences)

    def surface(self, text: str) -> str:
        """The most frequent surface form in ``text`` (ties: the first in sort order)."""
        counts: dict[str, int] = {}
        for o in self.occurrences:
            sf = text[o.start : o.end]
            counts[sf] = counts.get(sf, 0) + 1
        return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


_CONTENT_CACHE: dict[tuple[str, str, bool], bool] = {}


def _eligible(norm: str, kind: str, is_stop: bool) -> bool:
    key = (norm, kind, is_stop)
    hit = _CONTENT_CACHE.get(key)
    if hit is None:
        hit = is_content_word(norm, kind, is_stop) or (kind == "number" and _is_plain_number(norm))
        if len(_CONTENT_CACHE) > 300_000:
            _CONTENT_CACHE.clear()
        _CONTENT_CACHE[key] = hit
    return hit


def extract_candidates(doc, max_words: int = 4) -> dict[tuple[str, ...], Candidate]:
    """Candidates of ``doc`` keyed by their word tuple, occurrences in text order."""
    text = doc.text
    out: dict[tuple[str, ...], Candidate] = {}
    tokens: Sequence = doc.tokens
    position = 0
    for sent_index, sent in enumerate(doc.sentences):
        run: list = []
        run_pos: list[int] = []
        prev_norm = None
        first = sent.first_token
        for i in range(first, sent.last_token + 1):
            tok = tokens[i] if i < sent.last_token else None
            if tok is not None:
                kind = tok.kind
                norm = tok.norm
                ok = _eligible(norm, kind, tok.is_stop)
                if ok and kind == "word":
                    c = text[tok.start]
                    if prev_norm in VERB_CONTEXT and c.islower():
                        ok = False  # "to exclude", "they contend"
                    elif norm in NON_NOMINAL and (i == first or not c.isupper()):
                        ok = False  # a verb-only form, unless a capitalised name inside the sentence
                prev_norm = norm
                if ok:
                    run.append(tok)
                    run_pos.append(position)
                    position += 1
                    continue
                if kind == "word" or kind == "number":
                    position += 1
            if run:
                _add_run(run, run_pos, sent_index, max_words, out)
                run, run_pos = [], []
    return out


_ED_NOUNS = frozenset("hundred kindred seabed hotbed roadbed riverbed deathbed flowerbed".split())


def _verb_like(norm: str) -> bool:
    """A past-tense/participle form that should not end a noun phrase."""
    return len(norm) > 4 and norm.endswith("ed") and not norm.endswith("eed") and norm not in _ED_NOUNS


def _is_plain_number(norm: str) -> bool:
    """Whole numbers and years ("1990", "747", "3,000"); not decimals, dates or percentages."""
    return norm.replace(",", "").isdigit()


def _add_run(run, run_pos, sent_index, max_words, out) -> None:
    n = len(run)
    norms = [t.norm for t in run]
    is_num = [t.kind == "number" for t in run]
    can_end = [not (w.endswith("ed") and _verb_like(w)) for w in norms]
    for a in range(n):
        start = run[a].start
        pos = run_pos[a]
        for b in range(a + 1, min(n, a + max_words) + 1):
            if is_num[b - 1] and (b - a == 1 or is_num[a]):
                continue  # a bare number, or a phrase that only begins and ends in numbers
            if not can_end[b - 1]:
                continue  # "prayed", "indonesians prayed": a past tense, not a noun phrase head
            words = tuple(norms[a:b])
            cand = out.get(words)
            if cand is None:
                cand = out[words] = Candidate(words)
            cand.occurrences.append(Occurrence(start, run[b - 1].end, sent_index, pos))
            if a == 0 and b == n:
                cand.maximal += 1
