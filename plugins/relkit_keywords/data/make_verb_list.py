"""Rebuild ``non_nominal.txt``: English word forms that are only ever verbs or adverbs.

The list lets candidate selection break phrases at verbs without a part-of-speech
tagger at run time.  It is derived once, offline, from LemmInflect's lexicon (MIT
licence; its data comes from the NLM SPECIALIST Lexicon) for the most frequent
English words in wordfreq:

    pip install lemminflect
    python plugins/relkit_keywords/data/make_verb_list.py > plugins/relkit_keywords/data/non_nominal.txt

A word is listed when every part of speech LemmInflect knows for it is VERB, AUX or
ADV (never NOUN, PROPN or ADJ): "requires", "betrayed", "exclude", "counting",
"quickly" are listed; "spill", "training", "united", "armed" are not.
"""

from __future__ import annotations

import sys

import lemminflect
import wordfreq

MIN_ZIPF = 2.0


def main() -> None:
    out = []
    for word in wordfreq.iter_wordlist("en"):
        if wordfreq.zipf_frequency(word, "en") < MIN_ZIPF:
            break
        if not word.isalpha() or not word.isascii() or len(word) < 3:
            continue
        pos = lemminflect.getAllLemmas(word)
        if pos and set(pos) <= {"VERB", "AUX", "ADV"}:
            out.append(word)
    sys.stdout.write("".join(w + "\n" for w in sorted(out)))


if __name__ == "__main__":
    main()
