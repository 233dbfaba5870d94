"""Every English student-aid article has ES, FR and DE versions that state the same facts.

Translations are written by hand, so the checks here are the ones a translator most often gets
wrong without noticing: the front matter that ties an article to its official source, the
section structure that section-level citations rely on, and the numbers. Numbers are compared
as a multiset per article, after normalising the ways languages write them ("7,395", "7 395",
"7.395" and "7395" are one number), so a dropped, added or changed amount, date or limit fails.
What this trades away: it cannot see a number moved to the wrong sentence, and a decimal such
as "7,5" would be read as two numbers; the articles hold whole numbers only.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.packs.test_student_aid_content import SOURCES_DIR, Article, load_articles

TRANSLATIONS = ("es", "fr", "de")
# Digits, optionally grouped in threes by a comma, a dot or a (narrow, no-break) space.
# Numbers a translation may state more often than English does, and why.
EXTRA_MENTIONS: dict[str, Counter[int]] = {
    # The Spanish article names the law twice: "Ley Pública 119-21 (Public Law 119-21)".
    "es/loan-changes-2026.md": Counter({119: 1, 21: 1}),
}
NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d])|\d+")


def extract_numbers(text: str) -> Counter[int]:
    """Return the multiset of whole numbers in a text, whatever the grouping separator."""
    return Counter(int(re.sub(r"\D", "", match)) for match in NUMBER.findall(text))


def article_text(path: Path) -> str:
    """Return an article's Markdown after its front matter: title, headings and body."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.DOTALL)


def check_translations(
    articles: dict[str, Article],
    texts: dict[str, str],
    languages: tuple[str, ...] = TRANSLATIONS,
) -> list[str]:
    """Report translations that are missing or differ from English in source, shape or numbers."""
    problems: list[str] = []
    slugs = sorted(p.split("/", 1)[1] for p in articles if p.startswith("en/"))
    for slug in slugs:
        en = articles[f"en/{slug}"]
        en_numbers = extract_numbers(texts[f"en/{slug}"])
        for lang in languages:
            relpath = f"{lang}/{slug}"
            other = articles.get(relpath)
            if other is None:
                problems.append(f"{relpath}: missing")
                continue
            if other.front.get("language") != lang:
                problems.append(f"{relpath}: language {other.front.get('language')!r}")
            for key in ("id", "source_url", "sources", "effective_date", "applies_to"):
                if other.front.get(key) != en.front.get(key):
                    problems.append(f"{relpath}: {key} differs from English")
            if not str(other.front.get("title") or "").strip():
                problems.append(f"{relpath}: no title")
            if len(other.sections) != len(en.sections):
                problems.append(
                    f"{relpath}: {len(other.sections)} sections, English has {len(en.sections)}"
                )
            numbers = extract_numbers(texts[relpath]) - EXTRA_MENTIONS.get(relpath, Counter())
            if numbers != en_numbers:
                missing = sorted((en_numbers - numbers).elements())
                extra = sorted((numbers - en_numbers).elements())
                problems.append(f"{relpath}: numbers missing {missing}, extra {extra}")
    for relpath in sorted(articles):
        lang, slug = relpath.split("/", 1)
        if lang in languages and f"en/{slug}" not in articles:
            problems.append(f"{relpath}: no English original")
    return problems


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """Every article of the pack."""
    return load_articles()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Every article's text after its front matter, keyed like `articles`."""
    return {
        p.relative_to(SOURCES_DIR).as_posix(): article_text(p)
        for p in sorted(SOURCES_DIR.glob("*/*.md"))
    }


# ----------------------------------------------------------------------------- the pack


def test_every_english_article_has_es_fr_and_de_versions_with_the_same_facts(
    articles: dict[str, Article], texts: dict[str, str]
) -> None:
    assert check_translations(articles, texts) == []


def test_every_language_has_all_seventeen_articles(articles: dict[str, Article]) -> None:
    for lang in ("en", *TRANSLATIONS):
        assert len([p for p in articles if p.startswith(lang + "/")]) == 17, lang


def test_dollar_amounts_keep_the_us_format_in_every_language(texts: dict[str, str]) -> None:
    amount = re.compile(r"\$\d{1,3}(?:,\d{3})*")
    for slug in (p.split("/", 1)[1] for p in texts if p.startswith("en/")):
        english = sorted(amount.findall(texts[f"en/{slug}"]))
        for lang in TRANSLATIONS:
            assert sorted(amount.findall(texts[f"{lang}/{slug}"])) == english, f"{lang}/{slug}"


# ----------------------------------------------------------------------------- the normaliser


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$7,395", {7395: 1}),
        ("7 395 $", {7395: 1}),
        ("7\u202f395 dollars", {7395: 1}),
        ("7.395 Dollar", {7395: 1}),
        ("-1500 up to 999999", {1500: 1, 999999: 1}),
        ("July 1, 2026", {1: 1, 2026: 1}),
        ("1er juillet 2026", {1: 1, 2026: 1}),
        ("1. Juli 2026", {1: 1, 2026: 1}),
        ("2026-27", {2026: 1, 27: 1}),
        ("1-800-433-3243", {1: 1, 800: 1, 433: 1, 3243: 1}),
        ("12 semesters, 600 percent", {12: 1, 600: 1}),
        ("no numbers here", {}),
    ],
)
def test_extract_numbers_reads_each_grouping_as_one_number(
    text: str, expected: dict[int, int]
) -> None:
    assert extract_numbers(text) == Counter(expected)


def test_extract_numbers_compares_formats_as_equal() -> None:
    assert extract_numbers("$7,395 y $740") == extract_numbers("7 395 $ et 740 $")
    assert extract_numbers("$7,395 and $740") == extract_numbers("7.395 $ und 740 $")


def test_translation_check_reports_a_changed_number(
    articles: dict[str, Article], texts: dict[str, str]
) -> None:
    tampered = dict(texts)
    tampered["fr/pell-grant.md"] = texts["fr/pell-grant.md"].replace("$7,395", "$7,359", 1)
    assert tampered["fr/pell-grant.md"] != texts["fr/pell-grant.md"]
    problems = check_translations(articles, tampered)
    assert problems == ["fr/pell-grant.md: numbers missing [7395], extra [7359]"]
    dropped = dict(texts)
    dropped["de/pell-grant.md"] = texts["de/pell-grant.md"].replace("12", "zwölf", 1)
    problems = check_translations(articles, dropped)
    assert problems == ["de/pell-grant.md: numbers missing [12], extra []"]


def test_translation_check_reports_missing_article_and_front_matter_drift(
    articles: dict[str, Article], texts: dict[str, str]
) -> None:
    broken = dict(articles)
    del broken["de/verification.md"]
    drifted = broken["fr/verification.md"]
    broken["fr/verification.md"] = Article(
        drifted.relpath,
        {**drifted.front, "effective_date": "2025-26", "language": "es"},
        dict(list(drifted.sections.items())[:-1]),
    )
    problems = check_translations(broken, texts)
    assert "de/verification.md: missing" in problems
    assert "fr/verification.md: effective_date differs from English" in problems
    assert "fr/verification.md: language 'es'" in problems
    assert any(p.startswith("fr/verification.md: 2 sections") for p in problems)
