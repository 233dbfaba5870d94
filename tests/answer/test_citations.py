"""Citations as readers and OpenAI clients receive them."""

from __future__ import annotations

import pytest
from openai.types.chat import ChatCompletionMessage

from civicllm.answer.citations import (
    build_annotations,
    build_civicllm_citations,
    build_message,
    format_references,
    render_text,
)
from civicllm.answer.extractive import answer_extractively
from civicllm.answer.verify import VerifiedAnswer, verify_answer
from civicllm.retrieval.passage import Passage
from tests.answer.sources import DEADLINE, INJECTED, PELL

PASSAGES = (PELL, DEADLINE, INJECTED)
DRAFT = (
    "Hello! The FAFSA deadline is June 30, 2026 [2]. The maximum Pell Grant is $7,395 [1]. "
    "The amount depends on your Student Aid Index and cost of attendance [1][2]."
)


@pytest.fixture
def verified() -> VerifiedAnswer:
    return verify_answer(DRAFT, PASSAGES)


def test_markers_are_renumbered_in_order_of_first_use(verified: VerifiedAnswer) -> None:
    assert verified.passages == (DEADLINE, PELL)
    assert "deadline is June 30, 2026 [1]" in verified.text
    assert "is $7,395 [2]" in verified.text


def test_annotation_offsets_point_at_their_markers(verified: VerifiedAnswer) -> None:
    text = render_text(verified)
    annotations = build_annotations(verified)
    assert len(annotations) == 3
    urls = {1: DEADLINE.source_url, 2: PELL.source_url}
    for annotation in annotations:
        assert annotation["type"] == "url_citation"
        cite = annotation["url_citation"]
        marker = text[cite["start_index"] : cite["end_index"]]
        assert marker in ("[1]", "[2]")
        assert cite["url"] == urls[int(marker[1:-1])]
    starts = [a["url_citation"]["start_index"] for a in annotations]
    assert starts == sorted(starts)


def test_extension_spans_and_quotes(verified: VerifiedAnswer) -> None:
    text = render_text(verified)
    entries = build_civicllm_citations(verified)
    claims = [text[e["claim_start_index"] : e["claim_end_index"]] for e in entries]
    assert claims == [
        "The FAFSA deadline is June 30, 2026",
        "The maximum Pell Grant is $7,395",
        "The amount depends on your Student Aid Index and cost of attendance",
    ]
    first = entries[0]
    assert first["document"] == "en/fafsa.md"
    assert first["section"] == "Federal deadline"
    assert first["page"] == 4
    assert first["passage_id"] == DEADLINE.id
    assert first["quote"] == DEADLINE.text
    for entry in entries:
        assert text[entry["start_index"] : entry["end_index"]] == f"[{entry['number']}]"
        source = {1: DEADLINE, 2: PELL}[entry["number"]]
        assert entry["quote"] in source.text


def test_reference_list_follows_the_text(verified: VerifiedAnswer) -> None:
    text = render_text(verified)
    assert text.startswith(verified.text)
    references = format_references(verified).splitlines()
    assert references[0] == "Sources:"
    assert references[1].startswith("[1] FAFSA deadlines — Federal deadline, p. 4.")
    assert references[1].endswith(DEADLINE.source_url)
    assert references[2].startswith("[2] Federal Pell Grants")
    assert "2025-26" in references[2]
    assert text.endswith(references[2])


def test_the_official_client_parses_the_message(verified: VerifiedAnswer) -> None:
    message = ChatCompletionMessage.model_validate(build_message(verified))
    assert message.content == render_text(verified)
    assert message.annotations is not None
    assert [a.url_citation.url for a in message.annotations] == [
        DEADLINE.source_url,
        PELL.source_url,
        PELL.source_url,
    ]
    extra = message.model_extra or {}
    assert len(extra["civicllm_citations"]) == 3


@pytest.mark.parametrize(("language", "heading"), [("es", "Fuentes:"), ("de", "Quellen:")])
def test_extractive_answer_citations(language: str, heading: str) -> None:
    answer = answer_extractively("What is the maximum Pell Grant?", PASSAGES, language)
    text = render_text(answer)
    annotations = build_annotations(answer)
    assert annotations  # one per quoted sentence, all from the one Pell passage
    for annotation in annotations:
        cite = annotation["url_citation"]
        assert text[cite["start_index"] : cite["end_index"]] == "[1]"
    entries = build_civicllm_citations(answer)
    assert len(entries) == len(annotations)
    for entry in entries:
        claim = text[entry["claim_start_index"] : entry["claim_end_index"]]
        assert entry["quote"] in claim
    assert heading in text


def test_not_found_has_no_citations() -> None:
    answer = answer_extractively("How do I renew my passport?", PASSAGES, "fr")
    message = build_message(answer)
    assert message["annotations"] == []
    assert message["civicllm_citations"] == []
    assert message["content"] == answer.text


def test_source_without_url_is_named_by_document() -> None:
    local = Passage(
        id="pack:notes.txt#1",
        pack="pack",
        document="notes.txt",
        title="",
        section="",
        text="Office hours are 9 to 5 on weekdays.",
    )
    answer = verify_answer("Office hours are 9 to 5 on weekdays [1].", [local])
    (annotation,) = build_annotations(answer)
    assert annotation["url_citation"]["url"] == "notes.txt"
    assert annotation["url_citation"]["title"] == "notes.txt"
    assert format_references(answer) == "Sources:\n[1] notes.txt."


def test_non_ascii_offsets_count_characters() -> None:
    answer = verify_answer(
        "Hola — ¡bienvenido! La beca Pell máxima para 2025-26 es de 7.395 $ [1].",
        [PELL],
        similarity=lambda claim, passage: 0.95,
        language="es",
    )
    text = render_text(answer)
    (annotation,) = build_annotations(answer)
    cite = annotation["url_citation"]
    assert text[cite["start_index"] : cite["end_index"]] == "[1]"
    assert "Fuentes:" in text
