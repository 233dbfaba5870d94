"""The held-out answer questions in bench/answer_cases/heldout.yaml hold up against the articles.

The set is written apart from the answer code and never used to tune it, so these checks look
only at the set and the articles: every answerable question cites the article in its own
language and a `## ` heading of it, each required fact occurs literally in that section, and no
forbidden phrase occurs in the section or the question (matched the way the eval runner matches
answers: casefolded, whitespace collapsed, typographic apostrophes read as straight ones). Each
language has 16 answerable questions over at least 12 articles and 4 the articles do not answer.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

import pytest
import yaml

from civicllm.evals.runner import normalize
from tests.packs.test_student_aid_content import (
    LANGUAGES,
    REPO_ROOT,
    Article,
    load_articles,
    load_yaml,
)

HELDOUT = REPO_ROOT / "bench" / "answer_cases" / "heldout.yaml"
ANSWERABLE_PER_LANGUAGE = 16
NOT_FOUND_PER_LANGUAGE = 4
MIN_ARTICLES_PER_LANGUAGE = 12
KINDS = ("amount", "date", "yesno", "who", "howto")
HELDOUT_ID = re.compile(r"ho-(en|es|fr|de)-\d{2}")


def is_not_found(item: dict[str, Any]) -> bool:
    """Tell whether a question is one the articles do not answer."""
    return item.get("expect") == "not_found"


def check_answerable(item: dict[str, Any], articles: dict[str, Article]) -> list[str]:
    """Report an answerable question whose article, section, facts or false variants do not fit."""
    ident, lang, doc = item.get("id"), item.get("language"), str(item.get("document"))
    if doc.split("/", 1)[0] != lang:
        return [f"{ident}: a {lang} question cites {doc}, not an article in {lang}/"]
    article = articles.get(doc)
    if article is None:
        return [f"{ident}: document {doc!r} does not exist"]
    problems: list[str] = []
    if item.get("source") != article.front.get("id"):
        problems.append(f"{ident}: source {item.get('source')!r} is not the id of {doc}")
    if item.get("kind") not in KINDS:
        problems.append(f"{ident}: kind {item.get('kind')!r} is not one of {KINDS}")
    heading = str(item.get("section"))
    body = article.sections.get(heading)
    if body is None:
        return [*problems, f"{ident}: {doc} has no section {heading!r}"]
    facts = item.get("must_contain")
    if not isinstance(facts, list) or not 1 <= len(facts) <= 2:
        problems.append(f"{ident}: must_contain must list 1 or 2 phrases")
        facts = []
    for fact in facts:
        if not normalize(str(fact)) or normalize(str(fact)) not in normalize(body):
            problems.append(f"{ident}: fact {fact!r} is not in {doc} / {heading}")
    section_text = normalize(f"{heading} {body}")
    question = normalize(str(item.get("question", "")))
    phrases = item.get("must_not_contain", [])
    if not isinstance(phrases, list) or len(phrases) > 2:
        return [*problems, f"{ident}: must_not_contain must list at most 2 phrases"]
    for phrase in phrases:
        words = normalize(str(phrase))
        if not words:
            problems.append(f"{ident}: must_not_contain has an empty entry")
        elif words in section_text:
            problems.append(f"{ident}: forbidden {phrase!r} occurs in the cited section")
        elif words in question:
            problems.append(f"{ident}: forbidden {phrase!r} occurs in the question")
    return problems


def check_not_found(item: dict[str, Any]) -> list[str]:
    """Report an unanswerable question that names an article or expects facts."""
    ident = item.get("id")
    problems = [] if item.get("source") == "none" else [f"{ident}: source must be 'none'"]
    for key in ("document", "section", "must_contain", "must_not_contain"):
        if key in item:
            problems.append(f"{ident}: a not_found question has no {key}")
    return problems


def check_questions(items: list[dict[str, Any]], articles: dict[str, Article]) -> list[str]:
    """Report every question of the set that does not fit the articles or its own rules."""
    problems: list[str] = []
    for item in items:
        ident, lang = str(item.get("id")), item.get("language")
        match = HELDOUT_ID.fullmatch(ident)
        if match is None or match.group(1) != lang:
            problems.append(f"{ident}: id must be ho-{lang}-NN")
        if not str(item.get("question", "")).strip():
            problems.append(f"{ident}: question is empty")
        if is_not_found(item):
            problems += check_not_found(item)
        else:
            problems += check_answerable(item, articles)
    repeated = [ident for ident, n in Counter(str(q.get("id")) for q in items).items() if n > 1]
    problems += [f"{ident}: id is used more than once" for ident in repeated]
    return problems


def check_balance(items: list[dict[str, Any]]) -> list[str]:
    """Report a language with the wrong counts, too few articles, or a kind of question missing."""
    problems: list[str] = []
    for lang in LANGUAGES:
        mine = [q for q in items if q.get("language") == lang]
        answerable = [q for q in mine if not is_not_found(q)]
        not_found = len(mine) - len(answerable)
        if len(answerable) != ANSWERABLE_PER_LANGUAGE or not_found != NOT_FOUND_PER_LANGUAGE:
            problems.append(
                f"{lang}: {len(answerable)} answerable and {not_found} not_found questions, "
                f"need {ANSWERABLE_PER_LANGUAGE} and {NOT_FOUND_PER_LANGUAGE}"
            )
        sources = {q.get("source") for q in answerable}
        if len(sources) < MIN_ARTICLES_PER_LANGUAGE:
            problems.append(
                f"{lang}: questions cite {len(sources)} articles, need {MIN_ARTICLES_PER_LANGUAGE}"
            )
        missing = [kind for kind in KINDS if kind not in {q.get("kind") for q in answerable}]
        if missing:
            problems.append(f"{lang}: no {', '.join(missing)} questions")
    return problems


def check_unseen(items: list[dict[str, Any]], tuning: list[dict[str, Any]]) -> list[str]:
    """Report held-out questions that repeat a question of the pack's own eval set."""
    seen = {normalize(str(q.get("question", ""))) for q in tuning}
    return [
        f"{q.get('id')}: repeats a question of evals/questions.yaml"
        for q in items
        if normalize(str(q.get("question", ""))) in seen
    ]


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """Every article of the pack."""
    return load_articles()


@pytest.fixture(scope="module")
def heldout() -> list[dict[str, Any]]:
    """The held-out questions."""
    items: list[dict[str, Any]] = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["questions"]
    return items


def test_every_held_out_question_fits_its_article(
    heldout: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    assert heldout
    assert check_questions(heldout, articles) == []


def test_each_language_has_16_answerable_and_4_unanswerable_questions(
    heldout: list[dict[str, Any]],
) -> None:
    assert check_balance(heldout) == []


def test_no_held_out_question_repeats_the_tuning_set(heldout: list[dict[str, Any]]) -> None:
    assert check_unseen(heldout, load_yaml("questions.yaml")["questions"]) == []


# ----------------------------------------------------------------------------- each check can fail


def test_question_check_reports_wrong_language_document_section_and_fact(
    heldout: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    good = copy.deepcopy(next(q for q in heldout if q["id"] == "ho-fr-06"))
    assert check_questions([good], articles) == []
    bad = [
        {**good, "document": "en/pell-grant.md"},
        {**good, "document": "fr/nope.md"},
        {**good, "section": "Pas de tel titre"},
        {**good, "must_contain": ["$7,395"]},
        {**good, "source": "verification"},
    ]
    assert [check_questions([item], articles) for item in bad] == [
        ["ho-fr-06: a fr question cites en/pell-grant.md, not an article in fr/"],
        ["ho-fr-06: document 'fr/nope.md' does not exist"],
        ["ho-fr-06: fr/pell-grant.md has no section 'Pas de tel titre'"],
        [
            "ho-fr-06: fact '$7,395' is not in fr/pell-grant.md / "
            "L'intensité d'inscription et la bourse Pell"
        ],
        ["ho-fr-06: source 'verification' is not the id of fr/pell-grant.md"],
    ]


def test_question_check_reports_forbidden_phrases_a_true_answer_could_say(
    heldout: list[dict[str, Any]], articles: dict[str, Article]
) -> None:
    good = copy.deepcopy(next(q for q in heldout if q["id"] == "ho-de-08"))
    assert check_questions([good], articles) == []
    # Case and runs of spaces are ignored, as the runner ignores them in answers.
    in_section = {**good, "must_not_contain": ["600   PROZENT"]}
    in_question = {**good, "must_not_contain": ["Vollzeitstudium"]}
    assert check_questions([in_section], articles) == [
        "ho-de-08: forbidden '600   PROZENT' occurs in the cited section"
    ]
    assert check_questions([in_question], articles) == [
        "ho-de-08: forbidden 'Vollzeitstudium' occurs in the question"
    ]


def test_not_found_check_reports_a_cited_article(heldout: list[dict[str, Any]]) -> None:
    good = copy.deepcopy(next(q for q in heldout if is_not_found(q)))
    assert check_not_found(good) == []
    bad = {**good, "source": "pell-grant", "document": "en/pell-grant.md"}
    assert check_not_found(bad) == [
        f"{good['id']}: source must be 'none'",
        f"{good['id']}: a not_found question has no document",
    ]


def test_balance_and_unseen_checks_report_gaps(heldout: list[dict[str, Any]]) -> None:
    without_german_not_found = [
        q for q in heldout if not (q["language"] == "de" and is_not_found(q))
    ]
    assert check_balance(without_german_not_found) == [
        "de: 16 answerable and 0 not_found questions, need 16 and 4"
    ]
    copied = {**heldout[0], "question": "What is the maximum Pell Grant for 2026-27?"}
    assert check_unseen([copied], load_yaml("questions.yaml")["questions"]) == [
        f"{heldout[0]['id']}: repeats a question of evals/questions.yaml"
    ]
