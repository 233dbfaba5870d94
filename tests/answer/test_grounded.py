"""Loop detection for small models' drafts."""

from __future__ import annotations

import pytest

from civicllm.answer.grounded import is_degenerate


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("La Beca Pell es el más grande de la Beca Pell. " * 6, True),
        ("The FAFSA is free. " * 10, True),
        (
            "The FAFSA is the Free Application for Federal Student Aid. It is free to file, "
            "and you can submit it online at studentaid.gov every year from October 1.",
            False,
        ),
        ("Too short to judge.", False),
    ],
)
def test_is_degenerate(draft: str, expected: bool) -> None:
    assert is_degenerate(draft) is expected
