"""programs.yaml: every figure carries its source URL, version date and verification state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from civicllm.errors import ConfigError
from civicllm.tools.small_business.programs_facts import FACTS_FILE, load_facts, parse_facts
from civicllm.tools.small_business.programs_rules import LIMITS, RULES

RAW = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(RAW["facts"]))
def test_every_fact_has_a_source_url_an_effective_date_and_says_if_verified(key: str) -> None:
    fact = RAW["facts"][key]
    assert str(fact["url"]).startswith("https://"), key
    assert isinstance(fact["effective_date"], date), key
    assert fact["source"] and fact["rule"] and fact["date_basis"], key
    assert isinstance(fact["verified"], bool), key
    if not fact["verified"]:
        assert fact.get("unsure"), f"{key}: an unverified figure must say what is unsure"
    for old in fact.get("earlier") or []:
        assert str(old["url"]).startswith("https://") and isinstance(old["effective_date"], date)


def test_every_rule_and_limit_of_the_screener_is_in_the_file() -> None:
    keys = {rule.fact for rules in RULES.values() for rule in rules}
    keys |= {key for limits in LIMITS.values() for key in limits}
    assert keys <= set(RAW["facts"])


def test_the_headline_figures() -> None:
    facts = load_facts().on(date(2026, 12, 2))
    assert facts["loan_7a_max"].value == 5000000
    assert facts["loan_504_max"].value == 5000000
    assert facts["loan_504_max_special"].value == 5500000
    assert facts["microloan_max"].value == 50000
    assert (facts["eighta_net_worth"].value, facts["eighta_net_worth"].comparison) == (
        850000,
        "less_than",
    )
    assert (facts["eighta_income"].value, facts["eighta_income"].comparison) == (400000, "at_most")
    assert facts["eighta_assets"].value == 6500000
    assert facts["hubzone_employee_residency"].value == 35
    assert facts["sbir_employees"].value == 500


def test_a_fact_without_a_url_is_refused(tmp_path: Path) -> None:
    broken = {**RAW, "facts": {"x": {**RAW["facts"]["loan_7a_max"], "url": None}}}
    with pytest.raises(ConfigError, match=r"'x'.*url"):
        parse_facts(broken)
    path = tmp_path / "programs.yaml"
    path.write_text(yaml.safe_dump({**RAW, "facts": {"x": {"value": 1, "rule": "r"}}}))
    with pytest.raises(ConfigError, match="lacks"):
        load_facts(path)
