"""Lone surrogates become U+FFFD in text and anywhere in parsed JSON, however deep."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from civicllm.surrogates import REPLACEMENT, replace_surrogates, replace_surrogates_in


def test_lone_surrogates_are_replaced_and_pairs_kept() -> None:
    assert replace_surrogates("a\ud800b\udfffc") == f"a{REPLACEMENT}b{REPLACEMENT}c"
    assert replace_surrogates("ok 😀") == "ok 😀"


def test_keys_and_values_are_cleaned_at_any_depth() -> None:
    depth = 900  # about as deep as json.loads goes
    value = json.loads('{"\\ud800": ' + "[" * depth + '"\\udfff"' + "]" * depth + "}")
    cleaned = replace_surrogates_in(value)
    (key,) = cleaned
    assert key == REPLACEMENT
    node = cleaned[key]
    for _ in range(depth):
        node = node[0]
    assert node == REPLACEMENT
    json.dumps(cleaned, ensure_ascii=False).encode("utf-8")


@given(
    st.recursive(
        st.text() | st.integers() | st.none(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=10,
    )
)
def test_clean_json_is_unchanged(value: object) -> None:
    assert replace_surrogates_in(json.loads(json.dumps(value))) == value
