"""Keyphrase candidates from the shared tokens, without a part-of-speech tagger.

A candidate is a run of content words inside one sentence: it stops at punctuation,
symbols, numbers, stopwords and a short list of words that rarely belong to a noun
phrase (reporting verbs, frequent verbs and adverbs).  Because the runs are built from
the document's tokens (``doc.columns``), a candidate never crosses a sentence boundary and never
touches text that cleaning removed (tokens only exist inside kept regions).

Runs longer than ``max_words`` are not dropped: every sub-sequence of at most
``max_words`` words is a candidate; the scorer prefers the ones that recur.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple


__all__ = ["Candidate", "Occurrence", "extract_candidates", "collect_candidates", "make_candidate", "NON_PHRASE_WORDS", "is_content_word"]

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


_new_tuple = tuple.__new__  # skips NamedTuple's Python-level __new__ on the hot path


class Candidate:
    """A candidate phrase: its normalised words and every occurrence in the document.

    ``occurrence_tuples`` holds the occurrences as plain ``(start, end, sent, position)``
    tuples; ``occurrences`` gives them as :class:`Occurrence` (made on first use: a
    phrase kept only as another's variant never needs them).
    """

    __slots__ = ("words", "occurrence_tuples", "_occurrences", "maximal")

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.occurrence_tuples: list = []
        self._occurrences: list[Occurrence] | None = self.occurrence_tuples  # one list: appends show in both
        self.maximal = 0  # occurrences that were a whole run (not cut out of a longer run)

    def __repr__(self) -> str:
        return f"Candidate({self.phrase!r}, tf={self.tf})"

    @property
    def occurrences(self) -> list[Occurrence]:
        occ = self._occurrences
        if occ is None:
            occ = self._occurrences = [_new_tuple(Occurrence, o) for o in self.occurrence_tuples]
        return occ

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    @property
    def tf(self) -> int:
        return len(self.occurrence_tuples)

    def surface(self, text: str) -> str:
        """The most frequent surface form in ``text`` (ties: the first in sort order)."""
        occurrences = self.occurrence_tuples
        if len(occurrences) == 1:  # most phrases
            return text[occurrences[0][0] : occurrences[0][1]]
        counts: dict[str, int] = {}
        for o in occurrences:
            sf = text[o[0] : o[1]]
            counts[sf] = counts.get(sf, 0) + 1
        return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


# Per-form memos (word forms repeat heavily across a corpus); cleared when they grow large.
_WORD_CACHE: dict[str, tuple[bool, bool, bool]] = {}  # norm -> (eligible, in NON_NOMINAL, may end a phrase)
_NUMBER_CACHE: dict[str, bool] = {}
_CACHE_MAX = 300_000


def _word_info(norm: str, is_stop: bool) -> tuple[bool, bool, bool]:
    info = (is_content_word(norm, "word", is_stop), norm in NON_NOMINAL, not _verb_like(norm))
    if len(_WORD_CACHE) > _CACHE_MAX:
        _WORD_CACHE.clear()
    _WORD_CACHE[norm] = info
    return info


def _number_ok(norm: str) -> bool:
    ok = _is_plain_number(norm)
    if len(_NUMBER_CACHE) > _CACHE_MAX:
        _NUMBER_CACHE.clear()
    _NUMBER_CACHE[norm] = ok
    return ok


def extract_candidates(doc, max_words: int = 4, words: list | None = None) -> dict[tuple[str, ...], Candidate]:
    """Candidates of ``doc`` keyed by their word tuple, occurrences in text order.

    With ``words`` (a list), every occurrence of a one-word candidate is appended to it
    as ``(position, sentence, word)``, in text order: the nodes of the scorer's word graph.
    """
    found, whole = collect_candidates(doc, max_words, words)
    return {key: make_candidate(key, occurrences, whole.get(key, 0)) for key, occurrences in found.items()}


def make_candidate(words: tuple[str, ...], occurrences: list[tuple[int, int, int, int]], maximal: int) -> Candidate:
    """A :class:`Candidate` from what ``collect_candidates`` gathered for it."""
    cand = _object_new(Candidate)  # without a Python-level __init__ call
    cand.words = words
    cand.occurrence_tuples = occurrences
    cand._occurrences = None
    cand.maximal = maximal
    return cand


def collect_candidates(
    doc, max_words: int = 4, words: list | None = None
) -> tuple[dict[tuple[str, ...], list[tuple[int, int, int, int]]], dict[tuple[str, ...], int]]:
    """What ``extract_candidates`` finds, in the plain form the scorer reads: each
    candidate's occurrences as ``(start, end, sentence, position)`` tuples in text order,
    and for the candidates that were ever a whole run, how often.

    Most candidates of a document are never chosen: they get no object of their own
    (the scorer makes :class:`Candidate` objects only for the phrases it keeps).
    """
    text = doc.text
    out: defaultdict[tuple[str, ...], list[tuple[int, int, int, int]]] = defaultdict(list)
    whole: dict[tuple[str, ...], int] = {}
    if words is None:
        words = []
    word_cache = _WORD_CACHE
    number_cache = _NUMBER_CACHE
    verb_context = VERB_CONTEXT
    add_word = words.append
    position = 0
    run: list[tuple[str, int, int, int, bool, bool]] = []  # norm, start, end, position, number, may end
    run_sent = -1
    prev_norm = None
    # One pass over the tokens, read column by column (no Token tuples needed); a
    # token's sentence index marks where sentences change.  Every word of a run that
    # may end a phrase is a one-word candidate whatever the run's length: added here;
    # longer sub-sequences when the run ends (half of all runs are one word: no call).
    for start, end, norm, kind, is_stop, sent in zip(*doc.columns):
        first = sent != run_sent
        if first:
            if run:
                if len(run) > 1:
                    _add_run(run, run_sent, max_words, out, whole)
                elif run[0][5] and not run[0][4]:
                    key = (run[0][0],)
                    whole[key] = whole.get(key, 0) + 1
                run = []
            run_sent = sent
            prev_norm = None
        if kind == "word":
            info = word_cache.get(norm) or _word_info(norm, is_stop)
            ok = info[0]
            if ok:
                if prev_norm in verb_context and text[start].islower():
                    ok = False  # "to exclude", "they contend"
                elif info[1] and (first or not text[start].isupper()):
                    ok = False  # a verb-only form, unless a capitalised name inside the sentence
                else:
                    run.append((norm, start, end, position, False, info[2]))
                    if info[2]:
                        out[(norm,)].append((start, end, sent, position))
                        add_word((position, sent, norm))
            position += 1
        elif kind == "number":
            ok = number_cache.get(norm)
            if ok is None:
                ok = _number_ok(norm)
            if ok:
                run.append((norm, start, end, position, True, True))
            position += 1
        else:
            ok = False
        if not ok and run:
            if len(run) > 1:
                _add_run(run, sent, max_words, out, whole)
            elif run[0][5] and not run[0][4]:
                key = (run[0][0],)
                whole[key] = whole.get(key, 0) + 1
            run = []
        prev_norm = norm
    if run:
        if len(run) > 1:
            _add_run(run, run_sent, max_words, out, whole)
        elif run[0][5] and not run[0][4]:
            key = (run[0][0],)
            whole[key] = whole.get(key, 0) + 1
    return out, whole


_ED_NOUNS = frozenset("hundred kindred seabed hotbed roadbed riverbed deathbed flowerbed".split())


def _verb_like(norm: str) -> bool:
    """A past-tense/participle form that should not end a noun phrase."""
    return len(norm) > 4 and norm.endswith("ed") and not norm.endswith("eed") and norm not in _ED_NOUNS


def _is_plain_number(norm: str) -> bool:
    """Whole numbers and years ("1990", "747", "3,000"); not decimals, dates or percentages."""
    return norm.replace(",", "").isdigit()


_object_new = object.__new__
_NORM = itemgetter(0)


def _add_run(run, sent_index, max_words, out, whole) -> None:
    """The sub-sequences of two to ``max_words`` words of one run of at least two words
    become candidate occurrences (its one-word candidates are added as the run is read);
    a run short enough to be a candidate whole counts in ``whole``.

    Occurrences of one candidate are added in text order (a key has one length, and
    sub-sequences of one length are visited left to right); the order in which the
    candidates themselves enter ``out`` carries no meaning.
    """
    n = len(run)
    if n == 2 and max_words >= 2:  # most runs of several words: one pair, the whole run
        first, last = run
        if last[5] and not (first[4] and last[4]):
            key = (first[0], last[0])
            out[key].append((first[1], last[2], sent_index, first[3]))
            whole[key] = whole.get(key, 0) + 1
        return
    norms = list(map(_NORM, run))
    longest = max_words if max_words < n else n
    shifted = [norms[i:] for i in range(longest)]
    for length in range(2, longest + 1):
        # zip of shifted lists: the word tuples of every sub-sequence of this length, made in C
        for first, last, key in zip(run, run[length - 1 :], zip(*shifted[:length])):
            if not last[5] or (first[4] and last[4]):
                continue  # ends in a past tense ("indonesians prayed"); or only begins and ends in numbers
            out[key].append((first[1], last[2], sent_index, first[3]))
    if n <= max_words and run[-1][5] and not (run[0][4] and run[-1][4]):
        key = tuple(norms)
        whole[key] = whole.get(key, 0) + 1
