"""Builds tests/data/rhetoric_gold.json from the hand annotation below.

The annotation was made by reading corpus/000_…, 003_… and 004_… (every quoted passage
and every reported statement, with its speaker).  Each span is given as exact substrings
of the document (the first and last words of the quoted content, inside the marks) and
located by string search, so the stored offsets can be checked against the text.

    python tests/data/make_rhetoric_gold.py > tests/data/rhetoric_gold.json
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = {p.name.split("_")[0]: p for p in sorted((ROOT / "corpus").glob("*.txt"))}

# (doc, type, content begins, content ends, speaker as written or None, resolved person or None, cue or None, kind)
QUOTES = [
    ("000", None, "Russian-Azerbaijani relations in the 21st century", "in the context of regional security", None, None, None, "title"),
    ("000", "direct", "the Expert Council plays the role", "cooperation between our experts", "The Azerbaijani minister", "Jeyhun Bayramov", "saying", "speech"),
    ("000", "mixed", "new impetus to joint efforts", "new impetus to joint efforts", "the speakers", None, "described", "speech"),
    ("000", None, "Russian-Azerbaijani Expert Council", "Russian-Azerbaijani Expert Council", None, None, None, "title"),
    ("003", "direct", "Therefore, there is every reason", "interests of Moscow and Baku,", "Niyazova", "Galina Niyazova", "noted", "speech"),
    ("003", "direct", "Good indicators of trade", "on the regional agenda are discussed.", None, "Galina Niyazova", None, "speech"),
    ("003", "direct", "At the same time, the development", "threat of the spread of terrorism,", "the political analyst", "Galina Niyazova", "added", "speech"),
    ("003", "direct", "This fact is especially important", "Russian and Azerbaijani presidents.", None, "Galina Niyazova", None, "speech"),
    ("003", "direct", "The historical connection between", "events taking place in the region,", "the political analyst", "Galina Niyazova", "said", "speech"),
    ("003", "direct", "The mutually beneficial partnership", "develop dynamically in all directions.", None, "Galina Niyazova", None, "speech"),
    ("003", "direct", "As part of this cooperation", "strategic partner in the region,", "the political analyst", "Galina Niyazova", "said", "speech"),
    ("003", "direct", "Bilateral interests based on", "dialogue between Moscow and Baku.", None, "Galina Niyazova", None, "speech"),
    ("004", "direct", "Russia and Azerbaijan are strategic partners", "are built on this solid foundation", "Andrei Rudenko", "Andrei Rudenko", "According to", "speech"),
    ("004", "mixed", "Last year, Russian-Azerbaijani turnover", "in terms of diversification of our economies.", "the Russian diplomat", "Andrei Rudenko", "According to", "speech"),
    ("004", "direct", "Close interregional cooperation is developing.", "second half of this year in Azerbaijan,", "Rudenko", "Andrei Rudenko", "said", "speech"),
    ("004", "mixed", "Our prime ministers are in constant contact", "citizens of Russia and Azerbaijan.", "him", "Andrei Rudenko", "According to", "speech"),
    ("004", "mixed", "More than 11,000 Azerbaijani students", "this fall, tentatively in November.", "The Deputy Minister of Foreign Affairs of the Russian Federation", "Andrei Rudenko", "emphasized", "speech"),
    ("004", "mixed", "At present, we are actively preparing", "sixth meeting, scheduled for October this year.", "Rudenko", "Andrei Rudenko", "According to", "speech"),
    ("004", "direct", "Russia and Azerbaijan are neighbors in the Caspian", "and the OSCE, is no less fruitful.", None, "Andrei Rudenko", None, "speech"),
    ("004", "direct", "Both in Russia and in Azerbaijan, we carefully", "as a prosperous and open for wide cooperation.", None, "Andrei Rudenko", None, "speech"),
]

# reported speech without quote marks: (doc, content begins, content ends, speaker as written, resolved, cue)
INDIRECT = [
    ("000", "the role of the Russia-Azerbaijan Expert Council", "in a short period of time", "Minister Jeyhun Bayramov", "Jeyhun Bayramov", "highlighted"),
    ("000", "sovereign policy makes Azerbaijan", "international community, including Russia", "FM Jeyhun Bayramov", "Jeyhun Bayramov", "emphasized"),
    ("000", "the importance of strategic relations", "between the two countries", "Russian Minister of Foreign Affairs Sergey Lavrov", "Sergey Lavrov", "highlighted"),
    ("003", "The holding of the next Russia-Azerbaijan", "high level of interaction between the two countries", "Galina Niyazova", "Galina Niyazova", "told"),
    ("003", "the development of interregional ties", "mutually beneficial cooperation between the two countries", "The Russian political analyst", "Galina Niyazova", "said"),
    ("003", "Russia and Azerbaijan have long-standing historical ties", "based on mutual friendship and trust", "Niyazova", "Galina Niyazova", "noted"),
    ("003", "the great importance of developing cooperation", "international terrorism and cross-border crime", "Niyazova", "Galina Niyazova", "noted"),
    ("004", "the responsibility for ensuring", "commission for economic cooperation", "Andrei Rudenko", "Andrei Rudenko", "said"),
    ("004", "the Great Patriotic War occupies", "selflessly worked in the rear", "Rudenko", "Andrei Rudenko", "focused on"),
]


def find(text, snippet, after=0):
    i = text.find(snippet, after)
    if i < 0:
        sys.exit(f"not found: {snippet!r}")
    return i


def main():
    out = {"_about": __doc__.strip().splitlines()[0] + " Offsets index the original text of each file.",
           "documents": {}, "quotes": [], "indirect": []}
    texts = {}
    for key in ("000", "003", "004"):
        p = DOCS[key]
        texts[key] = p.read_text("utf-8")
        out["documents"][key] = p.stem
    cursor = {}
    for doc, typ, begin, end, written, resolved, cue, kind in QUOTES:
        text = texts[doc]
        s = find(text, begin, cursor.get(doc, 0))
        e = find(text, end, s) + len(end)
        cursor[doc] = e
        entry = {"doc": out["documents"][doc], "kind": kind, "type": typ, "start": s, "end": e, "text": text[s:e],
                 "speaker": written, "resolved": resolved, "cue": cue}
        if written is not None:
            # the speaker phrase precedes a leading attribution, follows a trailing one
            ws = text.rfind(written, 0, s) if cue in ("saying", "described", "According to", "emphasized") else find(text, written, e)
            assert ws >= 0, written
            entry["speaker_start"] = ws
            entry["speaker_end"] = ws + len(written)
        out["quotes"].append(entry)
    for doc, begin, end, written, resolved, cue in INDIRECT:
        text = texts[doc]
        s = find(text, begin)
        e = find(text, end, s) + len(end)
        out["indirect"].append({"doc": out["documents"][doc], "type": "indirect", "start": s, "end": e, "text": text[s:e],
                                "speaker": written, "resolved": resolved, "cue": cue})
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
