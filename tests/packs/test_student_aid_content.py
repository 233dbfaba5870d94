"""Content checks for the student-aid pack: articles, eval sets and estimator cases.

Each check is a small function that returns a list of problems; the content tests assert the
list is empty, and the `*_reports_*` tests feed each check broken content to prove it can fail.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = REPO_ROOT / "src" / "civicllm" / "packs" / "student-aid"
SOURCES_DIR = PACK_DIR / "sources"
EVALS_DIR = PACK_DIR / "evals"
ED_VECTORS = REPO_ROOT.parent / "shared" / "data" / "student_aid" / "ed_test_vectors.jsonl"

LANGUAGES = ("en", "es", "fr", "de")
ARTICLE_LANGUAGES = LANGUAGES
OFFICIAL_DOMAINS = ("studentaid.gov", "ed.gov", "federalregister.gov", "govinfo.gov")
# An award year ("2026-27") or an ISO date ("2026-07-01"), so retrieval can filter by date.
EFFECTIVE_DATE = re.compile(r"\d{4}-\d{2}|\d{4}-\d{2}-\d{2}")
REQUIRED_TOPICS = (
    "fafsa-basics",
    "award-years-and-deadlines",
    "studentaid-account",
    "contributors-and-consent",
    "dependency-status",
    "provisional-independence",
    "student-aid-index",
    "pell-grant",
    "federal-student-loans",
    "loan-changes-2026",
    "federal-work-study",
    "fafsa-submission-summary",
    "verification",
    "special-circumstances",
    "mixed-status-families",
    "eligible-noncitizens",
    "avoiding-scams",
)


@dataclass
class Article:
    """One Markdown article: its path relative to sources/, front matter and `##` sections."""

    relpath: str
    front: dict[str, Any]
    sections: dict[str, str] = field(default_factory=dict)


def parse_article(path: Path, root: Path = SOURCES_DIR) -> Article:
    """Split an article into YAML front matter and its `##` sections."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, flags=re.DOTALL)
    if match is None:
        return Article(path.relative_to(root).as_posix(), {}, {})
    front = yaml.safe_load(match.group(1)) or {}
    sections: dict[str, str] = {}
    heading: str | None = None
    lines: list[str] = []
    for line in match.group(2).splitlines():
        if line.startswith("## "):
            if heading is not None:
                sections[heading] = "\n".join(lines)
            heading, lines = line[3:].strip(), []
        elif heading is not None:
            lines.append(line)
    if heading is not None:
        sections[heading] = "\n".join(lines)
    return Article(path.relative_to(root).as_posix(), front, sections)


def load_articles(root: Path = SOURCES_DIR) -> dict[str, Article]:
    """Read every article under sources/, keyed by path relative to sources/."""
    return {
        article.relpath: article
        for article in (parse_article(p, root) for p in sorted(root.glob("*/*.md")))
    }


def load_yaml(name: str) -> Any:
    """Read one eval file from the pack's evals/ folder."""
    return yaml.safe_load((EVALS_DIR / name).read_text(encoding="utf-8"))


def normalize(text: str) -> str:
    """Collapse runs of whitespace so a fact may wrap across lines in the Markdown."""
    return re.sub(r"\s+", " ", text)


def is_official_url(url: object) -> bool:
    """Tell whether a URL is https on an official U.S. government student-aid domain."""
    if not isinstance(url, str):
        return False
    parsed = urlparse(url)
    host = parsed.hostname or ""
    return parsed.scheme == "https" and any(
        host == domain or host.endswith("." + domain) for domain in OFFICIAL_DOMAINS
    )


# ----------------------------------------------------------------------------- checks


def check_front_matter(articles: dict[str, Article]) -> list[str]:
    """Report missing or malformed front matter, and articles with too few sections."""
    problems: list[str] = []
    for relpath, article in articles.items():
        folder, filename = relpath.split("/", 1)
        front = article.front
        for key in ("id", "title", "source_url", "effective_date", "language"):
            if not str(front.get(key) or "").strip():
                problems.append(f"{relpath}: front matter lacks {key!r}")
        if front.get("language") != folder:
            problems.append(f"{relpath}: language {front.get('language')!r} but folder {folder!r}")
        if folder not in ARTICLE_LANGUAGES:
            problems.append(f"{relpath}: articles live only in {ARTICLE_LANGUAGES}")
        effective = str(front.get("effective_date") or "")
        if effective and not EFFECTIVE_DATE.fullmatch(effective):
            problems.append(
                f"{relpath}: effective_date {effective!r} is not an award year or ISO date"
            )
        if front.get("id") != filename.removesuffix(".md"):
            problems.append(f"{relpath}: id {front.get('id')!r} differs from the file name")
        if not is_official_url(front.get("source_url")):
            problems.append(
                f"{relpath}: source_url {front.get('source_url')!r} is not official https"
            )
        for url in front.get("sources") or []:
            if not is_official_url(url):
                problems.append(f"{relpath}: source {url!r} is not official https")
        if len(article.sections) < 2:
            problems.append(f"{relpath}: needs at least two '##' sections")
        for heading, body in article.sections.items():
            if len(body.split()) < 20:
                problems.append(f"{relpath}: section {heading!r} is too short to stand alone")
    return problems


def check_twins(articles: dict[str, Article]) -> list[str]:
    """Report articles without a twin in every other language, or twins that differ in shape."""
    problems: list[str] = []
    slugs = {
        lang: {p.split("/", 1)[1] for p in articles if p.startswith(lang + "/")}
        for lang in ARTICLE_LANGUAGES
    }
    for lang in ARTICLE_LANGUAGES[1:]:
        for one, other in (("en", lang), (lang, "en")):
            for missing in sorted(slugs[one] - slugs[other]):
                problems.append(f"{one}/{missing}: no {other} twin")
        for slug in sorted(slugs["en"] & slugs[lang]):
            en, twin = articles[f"en/{slug}"], articles[f"{lang}/{slug}"]
            name = lang.upper()
            if en.front.get("id") != twin.front.get("id"):
                problems.append(
                    f"{slug}: EN id {en.front.get('id')!r} != {name} id {twin.front.get('id')!r}"
                )
            if len(en.sections) != len(twin.sections):
                problems.append(
                    f"{slug}: EN has {len(en.sections)} sections, {name} has {len(twin.sections)}"
                )
    return problems


def check_topics(
    articles: dict[str, Article], topics: tuple[str, ...] = REQUIRED_TOPICS
) -> list[str]:
    """Report required topics that have no article."""
    return [f"topic {t!r} has no EN article" for t in topics if f"en/{t}.md" not in articles]


def check_references(items: list[dict[str, Any]], articles: dict[str, Article]) -> list[str]:
    """Report items whose document or section does not exist, or that cite the wrong language."""
    problems: list[str] = []
    ids = Counter(str(item.get("id")) for item in items)
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    for item in items:
        ident, lang, doc = item.get("id"), item.get("language"), item.get("document")
        if lang not in LANGUAGES:
            problems.append(f"{ident}: unknown language {lang!r}")
        if not str(item.get("question") or "").strip():
            problems.append(f"{ident}: empty question")
        article = articles.get(str(doc))
        if article is None:
            problems.append(f"{ident}: document {doc!r} does not exist")
            continue
        # A question cites the article in its own language, or the English original.
        folder = str(doc).split("/", 1)[0]
        if folder not in (lang, "en"):
            problems.append(f"{ident}: a {lang} question must cite the {lang} or en article")
        if item.get("section") not in article.sections:
            problems.append(f"{ident}: {doc} has no section {item.get('section')!r}")
        if "source" in item and item["source"] != article.front.get("id"):
            problems.append(f"{ident}: source {item['source']!r} is not the id of {doc}")
    return problems


def check_counts(items: list[dict[str, Any]], per_language: int, total: int) -> list[str]:
    """Report a set that is too small overall or for any language."""
    counts = Counter(str(item.get("language")) for item in items)
    problems = [
        f"{lang}: {counts[lang]} items, need {per_language}"
        for lang in LANGUAGES
        if counts[lang] < per_language
    ]
    if len(items) < total:
        problems.append(f"{len(items)} items, need {total}")
    return problems


def check_must_contain(items: list[dict[str, Any]], articles: dict[str, Article]) -> list[str]:
    """Report facts that do not occur literally in the cited section."""
    problems: list[str] = []
    for item in items:
        facts = item.get("must_contain")
        if not isinstance(facts, list) or not facts:
            problems.append(f"{item.get('id')}: must_contain must be a non-empty list")
            continue
        article = articles.get(str(item.get("document")))
        section = article.sections.get(str(item.get("section"))) if article else None
        if section is None:
            problems.append(f"{item.get('id')}: cited section not found")
            continue
        text = normalize(f"{item.get('section')} {section}")
        for fact in facts:
            if normalize(str(fact)) not in text:
                where = f"{item.get('document')} / {item.get('section')}"
                problems.append(f"{item.get('id')}: {fact!r} not in {where}")
    return problems


def check_out_of_scope(prompts: list[dict[str, Any]]) -> list[str]:
    """Report out-of-scope prompts without a valid expectation or official channel."""
    problems: list[str] = []
    for prompt in prompts:
        ident = prompt.get("id")
        if prompt.get("language") not in LANGUAGES:
            problems.append(f"{ident}: unknown language {prompt.get('language')!r}")
        if prompt.get("expected") not in ("redirect", "refuse"):
            problems.append(f"{ident}: expected must be 'redirect' or 'refuse'")
        if (
            not str(prompt.get("prompt") or "").strip()
            or not str(prompt.get("channel") or "").strip()
        ):
            problems.append(f"{ident}: needs a prompt and a channel")
    return problems


def check_estimator(cases: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> list[str]:
    """Report estimator cases whose expected values differ from ED's record, and thin coverage."""
    problems: list[str] = []
    # The tool case set's `expect` names the tool's result fields, which are ED's names.
    required = ("sai", "dependency_status", "formula")
    known = (*required, "max_pell_eligible", "min_pell_eligible")
    for case in cases:
        ident = case.get("id")
        record = records.get(str(case.get("input_ref")))
        if record is None:
            problems.append(f"{ident}: ED case {case.get('input_ref')!r} not in the test records")
            continue
        if case.get("language") not in LANGUAGES:
            problems.append(f"{ident}: unknown language {case.get('language')!r}")
        if str(case.get("award_year")) != record["input"]["award_year"]:
            problems.append(f"{ident}: award_year differs from ED's record")
        expect = case.get("expect", {})
        problems += [f"{ident}: lacks {name}" for name in required if name not in expect]
        problems += [f"{ident}: expects unknown {name}" for name in expect if name not in known]
        for name, value in expect.items():
            if value != record["expected"].get(name):
                problems.append(
                    f"{ident}: {name}={value!r} but ED says {record['expected'].get(name)!r}"
                )
    mix = Counter(
        (str(c.get("award_year")), str(c.get("expect", {}).get("formula"))) for c in cases
    )
    for year in ("2024-25", "2025-26"):
        for formula in ("A", "B", "C"):
            if mix[(year, formula)] == 0:
                problems.append(f"no estimator case for {year} formula {formula}")
    return problems


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """Every article of the pack."""
    return load_articles()


@pytest.fixture(scope="module")
def ed_records() -> dict[str, dict[str, Any]]:
    """ED's test ISIR records, keyed by name."""
    if not ED_VECTORS.exists():
        pytest.skip(f"ED test records not found at {ED_VECTORS}")
    lines = ED_VECTORS.read_text(encoding="utf-8").splitlines()
    return {rec["name"]: rec for rec in (json.loads(line) for line in lines if line.strip())}


# ----------------------------------------------------------------------------- content tests


def test_articles_have_official_front_matter(articles: dict[str, Article]) -> None:
    assert articles, "no articles found"
    assert check_front_matter(articles) == []


def test_every_article_has_a_twin_with_the_same_shape(articles: dict[str, Article]) -> None:
    assert check_twins(articles) == []


def test_required_topics_are_covered(articles: dict[str, Article]) -> None:
    assert check_topics(articles) == []


def test_retrieval_questions_point_at_real_passages(articles: dict[str, Article]) -> None:
    items = load_yaml("retrieval.yaml")["questions"]
    assert check_references(items, articles) == []
    assert check_counts(items, per_language=30, total=150) == []


def test_answer_questions_cite_sources_that_hold_their_facts(articles: dict[str, Article]) -> None:
    items = load_yaml("questions.yaml")["questions"]
    assert check_references(items, articles) == []
    assert check_counts(items, per_language=30, total=120) == []
    assert check_must_contain(items, articles) == []


def test_out_of_scope_prompts_are_well_formed() -> None:
    prompts = load_yaml("out_of_scope.yaml")["prompts"]
    assert check_out_of_scope(prompts) == []
    assert check_counts(prompts, per_language=1, total=20) == []
    assert {p["expected"] for p in prompts} == {"redirect", "refuse"}


def test_estimator_cases_match_ed_records(ed_records: dict[str, dict[str, Any]]) -> None:
    cases = load_yaml("estimator.yaml")["cases"]
    assert check_estimator(cases, ed_records) == []
    assert check_counts(cases, per_language=1, total=30) == []


# ----------------------------------------------------------------------------- each check can fail


def test_front_matter_check_reports_bad_articles(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    body = "## One\n" + "word " * 25 + "\n## Two\n" + "word " * 25 + "\n"
    (tmp_path / "en" / "good.md").write_text(
        "---\nid: good\ntitle: T\nlanguage: en\nsource_url: https://studentaid.gov/x\n"
        "effective_date: '2026-27'\n---\n" + body,
        encoding="utf-8",
    )
    (tmp_path / "en" / "bad.md").write_text(
        "---\nid: other\ntitle: T\nlanguage: es\nsource_url: http://example.com/x\n---\n" + body,
        encoding="utf-8",
    )
    found = load_articles(tmp_path)
    assert check_front_matter({"en/good.md": found["en/good.md"]}) == []
    problems = " ".join(check_front_matter(found))
    for expected in (
        "effective_date",
        "language 'es'",
        "differs from the file name",
        "not official",
    ):
        assert expected in problems


def test_twin_check_reports_missing_twin_and_section_mismatch(articles: dict[str, Article]) -> None:
    broken = dict(articles)
    del broken["es/pell-grant.md"]
    assert any("en/pell-grant.md: no es twin" in p for p in check_twins(broken))
    shrunk = copy.deepcopy(articles)
    shrunk["es/verification.md"].sections.popitem()
    assert any("verification.md: EN has" in p for p in check_twins(shrunk))
    for lang in ("fr", "de"):
        broken = dict(articles)
        del broken[f"{lang}/pell-grant.md"]
        assert f"en/pell-grant.md: no {lang} twin" in check_twins(broken)
        shrunk = copy.deepcopy(articles)
        shrunk[f"{lang}/verification.md"].sections.popitem()
        expected = f"verification.md: EN has 3 sections, {lang.upper()} has 2"
        assert expected in check_twins(shrunk)


def test_topic_check_reports_missing_topic(articles: dict[str, Article]) -> None:
    assert check_topics(articles, (*REQUIRED_TOPICS, "time-travel-grants")) == [
        "topic 'time-travel-grants' has no EN article"
    ]


def test_reference_check_reports_bad_document_section_and_language(
    articles: dict[str, Article],
) -> None:
    good = {
        "id": "x",
        "language": "fr",
        "question": "q",
        "document": "en/pell-grant.md",
        "section": "What the Pell Grant is",
    }
    assert check_references([good], articles) == []
    bad = [
        {**good, "id": "a", "document": "en/nope.md"},
        {**good, "id": "b", "section": "No such heading"},
        {**good, "id": "c", "language": "es", "document": "fr/pell-grant.md"},
        {**good, "id": "d", "source": "verification"},
        {**good, "id": "d"},
    ]
    problems = " ".join(check_references(bad, articles))
    for expected in (
        "does not exist",
        "has no section",
        "must cite the es or en article",
        "is not the id",
        "duplicate id",
    ):
        assert expected in problems


def test_count_check_reports_thin_languages() -> None:
    items = [{"language": "en"}] * 40 + [{"language": "es"}] * 2
    problems = check_counts(items, per_language=30, total=150)
    assert "es: 2 items, need 30" in problems
    assert "fr: 0 items, need 30" in problems
    assert "42 items, need 150" in problems


def test_must_contain_check_reports_absent_fact(articles: dict[str, Article]) -> None:
    item = {
        "id": "x",
        "document": "en/pell-grant.md",
        "section": "Pell Grant maximum and minimum amounts",
        "must_contain": ["$7,395"],
    }
    assert check_must_contain([item], articles) == []
    assert check_must_contain([{**item, "must_contain": ["$9,999"]}], articles) != []
    assert check_must_contain([{**item, "must_contain": []}], articles) != []


def test_out_of_scope_check_reports_bad_expectation() -> None:
    prompt = {
        "id": "x",
        "language": "de",
        "prompt": "p",
        "expected": "redirect",
        "channel": "studentaid.gov",
    }
    assert check_out_of_scope([prompt]) == []
    assert check_out_of_scope([{**prompt, "expected": "comply"}]) != []
    assert check_out_of_scope([{**prompt, "channel": ""}]) != []


def test_estimator_check_reports_values_that_differ_from_ed(
    ed_records: dict[str, dict[str, Any]],
) -> None:
    cases = load_yaml("estimator.yaml")["cases"]
    tampered = copy.deepcopy(cases)
    tampered[0]["expect"]["sai"] += 1
    tampered[1]["input_ref"] = "2024-25/no-such-file/0"
    tampered[2]["expect"]["formula"] = "Z"
    del tampered[3]["expect"]["dependency_status"]
    problems = " ".join(check_estimator(tampered, ed_records))
    assert f"sai={cases[0]['expect']['sai'] + 1}" in problems
    assert "not in the test records" in problems
    assert "formula='Z'" in problems
    assert "lacks dependency_status" in problems
    only_formula_a = [c for c in cases if c["expect"]["formula"] == "A"]
    assert any("formula B" in p for p in check_estimator(only_formula_a, ed_records))
