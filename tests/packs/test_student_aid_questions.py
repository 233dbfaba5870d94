"""The answer-quality questions of the student-aid pack hold up against the articles they cite.

Every question cites the article in its own language (a French question is scored against the
French article, never the English one), names a heading of that article, and each fact it
requires occurs literally in that section, matched the way the runner matches an answer. Its
``must_not_contain`` phrases (statements the article shows to be false) occur neither in that
section nor in the question, so an answer that quotes the right section, or restates the
question, is never marked false. Together: an extractive quote of the cited section passes the
runner's own judge, and the set measures the assistant, not gaps between questions and sources.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from civicllm.evals.runner import judge_answer, normalize
from tests.packs.test_student_aid_content import LANGUAGES, Article, load_articles, load_yaml


def section_text(item: dict[str, Any], articles: dict[str, Article]) -> str | None:
    """Return the cited heading and section body, normalized as the runner reads answers."""
    article = articles.get(str(item.get("document")))
    if article is None:
        return None
    body = article.sections.get(str(item.get("section")))
    return None if body is None else normalize(f"{item.get('section')} {body}")


def check_questions(items: list[dict[str, Any]], articles: dict[str, Article]) -> list[str]:
    """Report questions whose article, language, section, facts or false variants do not fit."""
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
        problems += check_forbidden(item, text)
    return problems


def check_forbidden(item: dict[str, Any], text: str) -> list[str]:
    """Report must_not_contain phrases that are malformed or that a true answer could say."""
    ident = item.get("id")
    if "must_not_contain" not in item:
        return []
    phrases = item["must_not_contain"]
    if not isinstance(phrases, list) or not phrases:
        return [f"{ident}: must_not_contain, when given, must be a non-empty list"]
    problems: list[str] = []
    question = normalize(str(item.get("question", "")))
    for phrase in phrases:
        words = normalize(str(phrase))
        if not isinstance(phrase, str) or not words:
            problems.append(f"{ident}: must_not_contain has an empty or non-text entry")
        elif words in text:
            problems.append(f"{ident}: forbidden {phrase!r} occurs in the cited section")
        elif words in question:
            problems.append(f"{ident}: forbidden {phrase!r} occurs in the question")
    return problems


def check_extractive_answers(
    items: list[dict[str, Any]], articles: dict[str, Article]
) -> list[str]:
    """Report questions that the runner would fail for an answer quoting the cited section."""
    problems: list[str] = []
    for item in items:
        article = articles.get(str(item.get("document")))
        body = article.sections.get(str(item.get("section"))) if article else None
        if body is None:
            problems.append(f"{item.get('id')}: cited section not found")
            continue
        verdict = judge_answer(item, f"{item['section']}\n{body}", [str(item.get("source"))])
        if not verdict.correct:
            problems.append(
                f"{item.get('id')}: a quote of its section fails "
                f"(missing {verdict.missing}, forbidden {verdict.forbidden})"
            )
    return problems


def check_forbidden_coverage(
    items: list[dict[str, Any]], total: int, per_language: int
) -> list[str]:
    """Report too few questions with must_not_contain, overall or in any language."""
    counts = Counter(str(item.get("language")) for item in items if item.get("must_not_contain"))
    problems = [
        f"{lang}: {counts[lang]} questions with must_not_contain, need {per_language}"
        for lang in LANGUAGES
        if counts[lang] < per_language
    ]
    if sum(counts.values()) < total:
        problems.append(f"{sum(counts.values())} questions with must_not_contain, need {total}")
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


def test_a_quote_of_the_cited_section_passes_every_question(
    questions: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    assert check_extractive_answers(questions, articles) == []


def test_known_false_variants_are_checked_in_every_language(
    questions: list[dict[str, Any]],
) -> None:
    assert check_forbidden_coverage(questions, total=40, per_language=10) == []


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


def test_forbidden_check_reports_phrases_a_true_answer_could_say(
    questions: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    good = copy.deepcopy(next(q for q in questions if q["id"] == "en-031"))
    assert good["must_not_contain"]
    assert check_questions([good], articles) == []
    bad = [
        # $740 is the minimum, stated in the same section: a true quote would be marked false.
        {**good, "id": "a", "must_not_contain": ["$740"]},
        {**good, "id": "b", "must_not_contain": ["maximum pell grant for 2026-27"]},
        {**good, "id": "c", "must_not_contain": []},
        {**good, "id": "d", "must_not_contain": ["  "]},
    ]
    problems = check_questions(bad, articles)
    assert problems == [
        "a: forbidden '$740' occurs in the cited section",
        "b: forbidden 'maximum pell grant for 2026-27' occurs in the question",
        "c: must_not_contain, when given, must be a non-empty list",
        "d: must_not_contain has an empty or non-text entry",
    ]
    assert check_extractive_answers(bad[:1], articles) == [
        "a: a quote of its section fails (missing [], forbidden ['$740'])"
    ]


def test_forbidden_phrase_matches_however_the_section_is_wrapped_or_cased(
    questions: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    item = copy.deepcopy(next(q for q in questions if q["id"] == "de-022"))
    # The article breaks the line between "Der" and "niedrigste".
    item["must_not_contain"] = ["der NIEDRIGSTE  pell grant"]
    assert check_questions([item], articles) == [
        "de-022: forbidden 'der NIEDRIGSTE  pell grant' occurs in the cited section"
    ]


def test_coverage_check_reports_a_language_without_false_variants(
    questions: list[dict[str, Any]],
) -> None:
    without_german = [q for q in questions if q["language"] != "de"]
    assert check_forbidden_coverage(without_german, total=40, per_language=10) == [
        "de: 0 questions with must_not_contain, need 10"
    ]
    assert check_forbidden_coverage(questions[:3], total=40, per_language=0) != []
