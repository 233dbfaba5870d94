"""The answer-quality questions of the student-aid pack hold up against the articles they cite.

Every question cites the article in its own language (a French question is scored against the
French article, never the English one), names a heading of that article, and each fact it
requires occurs literally in that section, matched the way the runner matches an answer. So an
answer that quotes the right section is scored correct: the set measures the assistant, not
gaps between the questions and the sources.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from civicllm.evals.runner import normalize
from tests.packs.test_student_aid_content import Article, load_articles, load_yaml


def section_text(item: dict[str, Any], articles: dict[str, Article]) -> str | None:
    """Return the cited heading and section body, normalized as the runner reads answers."""
    article = articles.get(str(item.get("document")))
    if article is None:
        return None
    body = article.sections.get(str(item.get("section")))
    return None if body is None else normalize(f"{item.get('section')} {body}")


def check_questions(items: list[dict[str, Any]], articles: dict[str, Article]) -> list[str]:
    """Report questions whose article, language, section or facts do not match the sources."""
    problems: list[str] = []
    for item in items:
        ident, lang, doc = item.get("id"), item.get("language"), str(item.get("document"))
        article = articles.get(doc)
        if article is None:
            problems.append(f"{ident}: document {doc!r} does not exist")
            continue
        if doc.split("/", 1)[0] != lang or article.front.get("language") != lang:
            problems.append(f"{ident}: a {lang} question cites {doc}, not the {lang} article")
        if item.get("source") != article.front.get("id"):
            problems.append(f"{ident}: source {item.get('source')!r} is not the id of {doc}")
        text = section_text(item, articles)
        if text is None:
            problems.append(f"{ident}: {doc} has no section {item.get('section')!r}")
            continue
        facts = item.get("must_contain")
        if not isinstance(facts, list) or not facts:
            problems.append(f"{ident}: must_contain must be a non-empty list")
            continue
        for fact in facts:
            if not normalize(str(fact)) or normalize(str(fact)) not in text:
                problems.append(f"{ident}: fact {fact!r} is not in {doc} / {item.get('section')}")
    return problems


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """Every article of the pack."""
    return load_articles()


@pytest.fixture(scope="module")
def questions() -> list[dict[str, Any]]:
    """The pack's answer-quality questions."""
    items: list[dict[str, Any]] = load_yaml("questions.yaml")["questions"]
    return items


def test_every_question_cites_its_own_language_and_holds_its_facts(
    questions: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    assert questions
    assert check_questions(questions, articles) == []


# ----------------------------------------------------------------------------- each check can fail


def test_question_check_reports_english_article_for_a_french_question(
    questions: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    item = copy.deepcopy(next(q for q in questions if q["id"] == "fr-020"))
    assert check_questions([item], articles) == []
    item.update(document="en/pell-grant.md", section="Pell Grant maximum and minimum amounts")
    # The English section holds the same amount: only the language is wrong.
    assert check_questions([item], articles) == [
        "fr-020: a fr question cites en/pell-grant.md, not the fr article"
    ]


def test_question_check_reports_missing_document_section_source_and_fact(
    questions: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    good = copy.deepcopy(next(q for q in questions if q["id"] == "de-021"))
    bad = [
        {**good, "id": "a", "document": "de/nope.md"},
        {**good, "id": "b", "section": "Keine solche Überschrift"},
        {**good, "id": "c", "source": "verification"},
        {**good, "id": "d", "must_contain": ["$750"]},
        {**good, "id": "e", "must_contain": []},
        {**good, "id": "f", "must_contain": ["Minimum Pell Grant"]},
    ]
    problems = check_questions(bad, articles)
    for expected in (
        "a: document 'de/nope.md' does not exist",
        "b: de/pell-grant.md has no section 'Keine solche Überschrift'",
        "c: source 'verification' is not the id of de/pell-grant.md",
        "d: fact '$750' is not in de/pell-grant.md / Höchst- und Mindestbetrag des Pell Grant",
        "e: must_contain must be a non-empty list",
        "f: fact 'Minimum Pell Grant' is not in de/pell-grant.md / "
        "Höchst- und Mindestbetrag des Pell Grant",
    ):
        assert expected in problems
