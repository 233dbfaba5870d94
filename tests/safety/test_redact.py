"""Personal data is masked before storage; ordinary figures are left alone."""

from __future__ import annotations

import pytest

from civicllm.safety.redact import passes_luhn, redact_text


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("SSN 123-45-6789 here", "SSN [SSN] here", "ssn"),
        ("my ITIN is 912345678", "my [SSN]", "ssn"),
        ("write to maria.lopez+aid@mail.example.com", "write to [EMAIL]", "email"),
        ("call (614) 555-0199 today", "call [PHONE] today", "phone"),
        ("call +1 614.555.0199", "call [PHONE]", "phone"),
        ("born 2007-05-01", "born [DATE]", "date_of_birth"),
        ("born May 1, 2007", "born [DATE]", "date_of_birth"),
        ("nació el 1 de mayo de 2007", "nació el [DATE]", "date_of_birth"),
        ("card 4111 1111 1111 1111", "card [CARD]", "card_or_account"),
        ("account 000123456789", "account [ACCOUNT]", "card_or_account"),
    ],
)
def test_personal_data_is_masked(text: str, expected: str, kind: str) -> None:
    redacted, kinds = redact_text(text)
    assert redacted == expected
    assert kind in kinds


@pytest.mark.parametrize(
    "text",
    ["The maximum Pell Grant is $7,395 for 2025-26.", "Family size 4, AGI 52000, 150%."],
)
def test_ordinary_figures_are_kept(text: str) -> None:
    assert redact_text(text) == (text, [])


def test_luhn() -> None:
    assert passes_luhn("4111111111111111")
    assert not passes_luhn("4111111111111112")


def test_structured_values_keep_their_shape_and_amounts() -> None:
    from civicllm.safety.redact import redact_value

    value = {
        "adjusted_gross_income": 2341414,
        "earned_income": 12434254,
        "notes": ["call (614) 555-0199", 12.5, None, True],
        "student": {"date_of_birth": "1996-12-16", "ssn": 123456789, "family_size": 3},
        "contact": {"Email": "ana@example.org", "parent_ssn": "123-45-6789", "name": "Ana"},
        "tool_name": "student-aid/estimate",
        "answers": {"student.date_of_birth": "2007-05-01"},
    }
    redacted, kinds = redact_value(value)
    assert redacted["adjusted_gross_income"] == 2341414
    assert redacted["earned_income"] == 12434254
    assert redacted["notes"] == ["call [PHONE]", 12.5, None, True]
    assert redacted["student"] == {"date_of_birth": "[DATE]", "ssn": "[SSN]", "family_size": 3}
    assert redacted["contact"] == {"Email": "[EMAIL]", "parent_ssn": "[SSN]", "name": "[NAME]"}
    assert redacted["tool_name"] == "student-aid/estimate"
    assert redacted["answers"] == {"student.date_of_birth": "[DATE]"}
    assert set(kinds) == {"phone", "date_of_birth", "ssn", "email", "name"}
    assert value["student"]["ssn"] == 123456789  # the input is not changed


def test_structured_redaction_is_strict_json() -> None:
    import json
    from decimal import Decimal

    from civicllm.safety.redact import redact_value

    redacted, _ = redact_value({"a": float("nan"), "b": Decimal("12.50"), "c": Decimal("7")})
    assert json.loads(json.dumps(redacted, allow_nan=False)) == {"a": "nan", "b": 12.5, "c": 7}


def test_official_urls_keep_their_path_digits() -> None:
    url = (
        "https://fsapartners.ed.gov/knowledge-center/fsa-handbook/2023-2024/"
        "application-and-verification-guide"
    )
    text, found = redact_text(f"Source: {url}. Call 1-800-433-3243 or 614-555-0199.")
    assert url in text and found  # the phone numbers outside it were found
    assert "433-3243" not in text and "555-0199" not in text  # outside the URL: masked


def test_what_a_form_put_in_a_url_is_masked() -> None:
    text, found = redact_text(
        "https://city.gov/pay?email=ana@example.org&dob=2007-05-01&acct=12345678901#ssn=123-45-6789"
    )
    for secret in ("ana@example.org", "2007-05-01", "12345678901", "123-45-6789"):
        assert secret not in text
    assert {"email", "date_of_birth", "card_or_account", "ssn"} <= set(found)
    path, _ = redact_text("https://x.org/u/ana@example.org/123-45-6789/report")
    assert "ana@example.org" not in path and "123-45-6789" not in path
