"""Corpus-level cache entries written item by item read back as the same JSON text."""

from __future__ import annotations

import json
import math
import zlib

import pytest

from relkit import __version__
from relkit.analysis import Analysis
from relkit.cache import decode_entry, encode_entry

RESULTS = [
    {},
    {"documents": []},
    {"documents": [{"id": "a", "n": 0, "x": 0.0, "t": "é“q”\u2028"}, {"id": "b", "n": -0.0}], "summary": {"k": [1, 2.5]}},
    {"a": [[], {}], "b": None, "c": True, "d": "x", "e": [1e308, math.inf]},
    {"nested": {1: "int key inside", "z": [{"y": [1, [2, [3]]]}]}},
]


@pytest.mark.parametrize("result", RESULTS)
def test_by_item_text_is_json_dumps_of_the_entry(result):
    warnings = [{"message": "w", "doc": "a"}]
    blob = encode_entry("k1", result, warnings, by_item=True)
    text = zlib.decompress(blob).decode("utf-8", "surrogatepass")
    whole = json.dumps({"key": "k1", "relkit": __version__, "result": result, "warnings": warnings},
                       ensure_ascii=False, allow_nan=True)
    assert text == whole
    assert decode_entry(blob, "k1") is not None
    assert decode_entry(blob, "k2") is None


def test_by_item_falls_back_for_non_string_top_level_keys():
    result = {1: "x", True: "y"}
    blob = encode_entry("k", result, by_item=True)
    assert blob == encode_entry("k", result)


def test_by_item_not_json_able_is_none():
    assert encode_entry("k", {"documents": [object()]}, by_item=True) is None


def test_compact_result_default_is_identity():
    r = {"a": [1]}
    assert Analysis.compact_result(r) is r


def test_small_entries_kept_as_text_large_ones_compressed_both_read_back():
    from relkit.cache import RAW_MAX, decode_entries, entry_matches

    small = encode_entry("k", {"n": [1, 2.5, "é"]}, [{"message": "w"}])
    large = encode_entry("k", {"n": list(range(RAW_MAX))})
    assert small.startswith(b'{"key": "k", ') and len(small) < RAW_MAX
    assert large[:1] == b"\x78"  # zlib
    older = zlib.compress(small, 1)  # how every entry was kept before: still read
    for blob in (small, large, older):
        assert entry_matches(blob, "k") and not entry_matches(blob, "j")
        assert decode_entry(blob, "k") is not None and decode_entry(blob, "j") is None
    assert decode_entry(small, "k") == decode_entry(older, "k") == ({"n": [1, 2.5, "é"]}, [{"message": "w"}])
    assert decode_entries([small, large, older, b"{garbage", b"\x78junk"], ["k"] * 5)[3:] == [None, None]
