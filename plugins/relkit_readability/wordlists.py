"""Familiar-word lists: Dale–Chall (3,000 words) and Spache (revised, ~1,000 words).

* Dale–Chall: the list textstat ships (``textstat/resources/en/easy_words.txt``, 2,941
  entries of the 1995 list), read straight from the installed package's data file so
  that textstat itself (and NLTK behind it) is never imported.
* Spache: ``data/spache_words.txt`` in this package (see ``data/README.md`` for where it
  comes from and how it was derived).

Both lists count a word as familiar in the forms Dale & Chall's counting rules allow:
the listed word itself or its regular inflections — plurals and possessives (-s, -es,
-ies, -'s), past tenses (-ed, -d, -ied), progressives (-ing), comparatives and superlatives
(-er, -est), with the usual spelling changes (doubled consonant, dropped e, y → i).
Proper names and numbers are familiar by the same rules; the caller decides those,
since they depend on the token, not the word form.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

__all__ = ["dale_chall_words", "spache_words", "is_familiar", "inflection_bases"]

_DATA = Path(__file__).resolve().parent / "data"


def _read(path: Path) -> frozenset[str]:
    with open(path, encoding="utf-8") as fh:
        return frozenset(line.strip().lower() for line in fh if line.strip())


@lru_cache(maxsize=1)
def dale_chall_words() -> frozenset[str]:
    spec = importlib.util.find_spec("textstat")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textstat is not installed: it ships the Dale–Chall word list relkit uses")
    for loc in spec.submodule_search_locations:
        path = Path(loc) / "resources" / "en" / "easy_words.txt"
        if path.is_file():
            return _read(path)
    raise RuntimeError("textstat's Dale–Chall list (resources/en/easy_words.txt) was not found")


@lru_cache(maxsize=1)
def spache_words() -> frozenset[str]:
    return _read(_DATA / "spache_words.txt")


def inflection_bases(word: str) -> list[str]:
    """Candidate base forms of a regularly inflected ``word`` (lower case), most likely first."""
    w = word
    out: list[str] = []
    if w.endswith("'s") or w.endswith("s'"):
        out.append(w[:-2] if w.endswith("'s") else w[:-1])
        w = out[-1]
    n = len(w)
    if n > 3 and w.endswith("ies"):
        out += [w[:-3] + "y", w[:-1]]
    elif n > 3 and w.endswith("es"):
        out += [w[:-2], w[:-1]]
    elif n > 2 and w.endswith("s") and not w.endswith("ss"):
        out.append(w[:-1])
    if n > 4 and w.endswith("ied"):
        out.append(w[:-3] + "y")
    elif n > 3 and w.endswith("ed"):
        out += [w[:-2], w[:-1]]
        if n > 4 and w[-3] == w[-4]:
            out.append(w[:-3])  # "stopped" → "stop"
    if n > 4 and w.endswith("ing"):
        out += [w[:-3], w[:-3] + "e"]
        if n > 5 and w[-4] == w[-5]:
            out.append(w[:-4])  # "running" → "run"
    for suffix in ("est", "er"):
        if n > len(suffix) + 2 and w.endswith(suffix):
            stem = w[: -len(suffix)]
            out += [stem, stem + "e"]
            if stem.endswith("i"):
                out.append(stem[:-1] + "y")  # "happier" → "happy"
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "bigger" → "big"
            break
    return out


def is_familiar(word: str, words: frozenset[str], bases: list[str] | None = None) -> bool:
    """``word`` (lower case) is on ``words`` or a regular inflection of a listed word.

    ``bases``: ``inflection_bases(word)`` when the caller has it already (it checks two lists).
    """
    if word in words:
        return True
    if "-" in word:  # hyphenated compounds: familiar when every part is ("well-known")
        parts = [p for p in word.split("-") if p]
        return bool(parts) and all(is_familiar(p, words) for p in parts)
    return any(b in words for b in (inflection_bases(word) if bases is None else bases))
