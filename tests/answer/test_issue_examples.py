"""The questions that broke the first release, answered as the default install answers them.

The embedded 135M model has not passed the student-aid eval gate, so on a fresh install
assistants answer in ``extract`` mode: quotes of the sentences that answer. These run that
path with the real index and embeddings (no model). The city documents are the verifier
benchmark's second set (library hours, a water bill, a Spanish microgrant page), standing in
for the documents of the report.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from civicllm.answer.grounded import GroundedAnswerer
from civicllm.engines.base import GenerationRequest
from civicllm.engines.echo import EchoEngine
from civicllm.packs.loader import BUILTIN_PACKS_DIR, Pack, load_pack
from civicllm.retrieval import open_index

DOCS = Path(__file__).resolve().parents[2] / "bench" / "verify_cases" / "docs"
OPTIONS = GenerationRequest(messages=[], max_tokens=200, temperature=0.0, seed=1)


def answer(answerer: GroundedAnswerer, pack: Pack, question: str, language: str) -> Any:
    async def run() -> tuple[str, dict[str, Any]]:
        text, extension = "", {}
        messages = [{"role": "user", "content": question}]
        async for event in answerer.stream(pack, messages, OPTIONS, language=language):
            text += event.text
            extension = event.extension or extension
        return text, extension

    return asyncio.run(run())


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GroundedAnswerer, Pack]]:
    folder = tmp_path_factory.mktemp("city")
    (folder / "pack.yaml").write_text(
        "id: city\nname: City services\ndescription: Library, water and grants\n"
        "languages: [en, es]\n"
    )
    for name, language in (("library.md", "en"), ("water.md", "en"), ("microgrant.md", "es")):
        target = folder / "sources" / language / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / name, target)
    pack = load_pack(folder)
    answerer = GroundedAnswerer(
        EchoEngine(), open_index(folder / "index.sqlite"), modes={"city": "extract"}
    )
    yield answerer, pack
    answerer.close()


@pytest.fixture(scope="module")
def student_aid(
    builtin_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GroundedAnswerer, Pack]]:
    copy = tmp_path_factory.mktemp("student-aid") / "index.sqlite"
    shutil.copyfile(builtin_index, copy)
    pack = load_pack(BUILTIN_PACKS_DIR / "student-aid", builtin=True)
    answerer = GroundedAnswerer(EchoEngine(), open_index(copy), modes={"student-aid": "extract"})
    yield answerer, pack
    answerer.close()


def first_quote(text: str) -> str:
    return text.split("\n\n")[1]


def test_saturday_hours_are_the_saturday_ones(city: Any) -> None:
    text, _ = answer(*city, "When does the Lantern Street Library open on Saturdays?", "en")
    assert "On Saturdays the library opens at 10:00 and closes at 14:00" in first_quote(text)


@pytest.mark.xfail(
    strict=True,
    reason="known gap: across languages the embeddings rate this English question 0.83 "
    "against the Spanish amount sentence (0.85 against the eligibility one), below what "
    "counts as an answer, so the reply is an honest 'not found' instead of the quote",
)
def test_a_spanish_only_fact_is_quoted_and_the_language_named(city: Any) -> None:
    question = "What is the maximum microgrant in the Ríoverde small business program?"
    text, extension = answer(*city, question, "en")
    assert text.startswith("The official sources do not cover this in English")
    assert "La microsubvención máxima es de 2.400 dólares" in text
    assert extension["citations"][0]["language"] == "es"


def test_water_payment_plans_are_limited(city: Any) -> None:
    text, _ = answer(*city, "How long can a payment plan for my water bill be?", "en")
    assert "up to 6 months" in text
    assert "unlimited" not in text.lower()


def test_planted_instructions_are_never_quoted(city: Any) -> None:
    text, _ = answer(*city, "How often are water meters read?", "en")
    assert "every 2 months" in text
    assert "PWNED" not in text and "Ignore" not in text


def test_an_unrelated_question_is_not_found(city: Any) -> None:
    text, extension = answer(*city, "How do I renew my passport?", "en")
    assert extension["found"] is False
    assert text.startswith("I could not find this in the official sources")


@pytest.mark.parametrize(
    ("question", "language", "expected", "false"),
    [
        ("Is the FAFSA free?", "en", "free", "not free"),
        ("Do I have to pay to fill out the FAFSA form?", "en", "free", "not free"),
        ("La FAFSA est-elle gratuite ?", "fr", "gratuite", "n'est pas gratuite"),
        ("Ist die FAFSA kostenlos?", "de", "kostenlos", "nicht kostenlos"),
        ("What is the maximum Pell Grant for 2025-26?", "en", "$7,395", "is $740"),
        ("Combien vaut la bourse Pell au maximum ?", "fr", "$7,395", "minimale est de $7,395"),
        pytest.param(
            "Who counts as an independent student?",
            "en",
            "24 or older",
            "unusual circumstance",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known gap: retrieval's 5 passages hold four of the independence "
                "rules but not the age rule's section, so the quotes are true but miss it",
            ),
        ),
    ],
)
def test_student_aid_examples(
    student_aid: Any, question: str, language: str, expected: str, false: str
) -> None:
    text, extension = answer(*student_aid, question, language)
    body = text.split("\n\nSources:")[0].split("\n\nQuellen:")[0]
    assert expected in body
    assert false not in body
    assert extension["found"] is True
    assert {c["language"] for c in extension["citations"]} == {language}
