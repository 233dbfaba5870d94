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
