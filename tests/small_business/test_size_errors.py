"""size-check names every bad field of a request at once, each with a message saying what to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicllm.errors import InputError
from civicllm.tools.small_business.size import check_size

M = 1_000_000


@pytest.fixture(scope="module")
def size_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("size-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, size_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CIVICLLM_HOME", str(size_home))
    yield


def errors(request: Any) -> dict[str | None, str]:
    with pytest.raises(InputError) as caught:
        check_size(request)
    return dict(caught.value.details)


def test_every_bad_field_is_reported_at_once() -> None:
    found = errors(
        {
            "naics": "541511",
            "receipts": {"fiscal_years": [30 * M, -5, 2.5, "a lot"], "weeks_in_business": 0},
            "affiliates": [{"receipts": {"fiscal_years": [True]}, "color": "red"}],
            "as_of": "01/12/2026",
            "extra": 1,
        }
    )
    assert set(found) == {
        "extra",
        "as_of",
        "receipts.fiscal_years.1",
        "receipts.fiscal_years.2",
        "receipts.fiscal_years.3",
        "receipts.weeks_in_business",
        "affiliates.0.color",
        "affiliates.0.receipts.fiscal_years.0",
    }
    assert "negative" in found["receipts.fiscal_years.1"]
    assert "whole dollars" in found["receipts.fiscal_years.2"]
    assert "YYYY-MM-DD" in found["as_of"]


@pytest.mark.parametrize(
    ("naics", "says"),
    [
        ("999999", "not a 2022 NAICS code with an SBA size standard"),
        ("5415", "6-digit"),
        ("54", "6-digit"),
        ("921110", "no size standard"),
        (541511, "as a string"),
        (None, "required"),
        ("54151a", "6-digit"),
    ],
)
def test_a_bad_naics_code_is_named(naics: Any, says: str) -> None:
    request = {"receipts": {"fiscal_years": [M]}}
    if naics is not None:
        request["naics"] = naics
    found = errors(request)
    assert set(found) == {"naics"} and says in found["naics"]


def test_a_short_code_lists_the_six_digit_codes_under_it() -> None:
    assert "541511, 541512, 541513, 541519" in errors({"naics": "5415"})["naics"]


def test_an_exception_the_code_lacks_is_named_with_those_it_has() -> None:
    found = errors({"naics": "541330", "exception": 7, "receipts": {"fiscal_years": [M]}})
    assert set(found) == {"exception"}
    assert "no exception 7" in found["exception"] and "Military" in found["exception"]
    none = errors({"naics": "541511", "exception": 1, "receipts": {"fiscal_years": [M]}})
    assert "has no exceptions" in none["exception"]
    assert set(errors({"naics": "541330", "exception": "1"})) == {"exception"}


@pytest.mark.parametrize(
    ("request_", "param"),
    [
        ({"naics": "541511"}, "receipts.fiscal_years"),
        ({"naics": "541511", "employees": {"pay_periods": [10]}}, "receipts.fiscal_years"),
        ({"naics": "324110", "receipts": {"fiscal_years": [M]}}, "employees.pay_periods"),
        ({"naics": "522110"}, "assets.quarters"),
        ({"naics": "541330", "exception": 1}, "receipts.fiscal_years"),
        ({"naics": "541519", "exception": 1}, "employees.pay_periods"),  # the ITVAR exception
    ],
)
def test_the_figure_the_standard_needs_is_required(request_: dict[str, Any], param: str) -> None:
    found = errors(request_)
    assert set(found) == {param} and "required" in found[param]


def test_an_affiliate_without_the_needed_figure_is_named() -> None:
    found = errors(
        {
            "naics": "324110",
            "employees": {"pay_periods": [10]},
            "affiliates": [
                {"employees": {"pay_periods": [1]}},
                {"receipts": {"fiscal_years": [M]}},
            ],
        }
    )
    assert set(found) == {"affiliates.1.employees.pay_periods"}


@pytest.mark.parametrize(
    ("request_", "param"),
    [
        ({"naics": "522110", "assets": {"quarters": [M, M, M]}}, "assets.quarters"),
        ({"naics": "324110", "employees": {"pay_periods": [10.5]}}, "employees.pay_periods.0"),
        ({"naics": "324110", "employees": {"pay_periods": []}}, "employees.pay_periods"),
        ({"naics": "324110", "employees": {"pay_periods": 10}}, "employees.pay_periods"),
        ({"naics": "324110", "employees": [10]}, "employees"),
        ({"naics": "324110", "employees": {"pay_periods": [10], "months": 24}}, "employees.months"),
        ({"naics": "541511", "receipts": {"fiscal_years": [10**16]}}, "receipts.fiscal_years.0"),
        (
            {"naics": "541511", "receipts": {"fiscal_years": [M] * 6, "weeks_in_business": 200}},
            "receipts.fiscal_years",
        ),
        ({"naics": "541511", "receipts": {"weeks_in_business": 20}}, "receipts.fiscal_years"),
        (
            {"naics": "541511", "receipts": {"fiscal_years": [M], "weeks_in_business": 400}},
            "receipts.weeks_in_business",
        ),
        (
            {"naics": "541511", "receipts": {"fiscal_years": [M]}, "affiliates": {"receipts": {}}},
            "affiliates",
        ),
        ({"naics": "541511", "receipts": {"fiscal_years": [M]}, "affiliates": [5]}, "affiliates.0"),
        ({"naics": "541511", "receipts": {"fiscal_years": [M]}, "as_of": "2023-03-16"}, "as_of"),
        ({"naics": "541511", "receipts": {"fiscal_years": [M]}, "as_of": "2026-02-30"}, "as_of"),
    ],
)
def test_each_bad_value_names_its_field(request_: dict[str, Any], param: str) -> None:
    assert set(errors(request_)) == {param}


def test_a_request_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InputError, match="JSON object"):
        check_size(["541511"])  # type: ignore[arg-type]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["541511", "324110", "522110", "541330", "5415", "", "x", "2026-12-01"]),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    ["naics", "exception", "receipts", "employees", "assets", "affiliates", "as_of"]
)
BLOCKS = st.fixed_dictionaries(
    {},
    optional={
        "fiscal_years": JSON,
        "weeks_in_business": JSON,
        "pay_periods": JSON,
        "quarters": JSON,
    },
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        KEYS,
        JSON
        | BLOCKS
        | st.lists(
            st.fixed_dictionaries({}, optional={"receipts": BLOCKS, "employees": BLOCKS}),
            max_size=2,
        ),
        max_size=7,
    )
)
def test_any_json_is_a_result_or_an_input_error(request: dict[str, Any]) -> None:
    try:
        result = check_size(request)
    except InputError as exc:
        assert exc.details and all(
            isinstance(message, str) and message for _, message in exc.details
        )
    else:
        assert result["small"] is (result["margin"] >= 0)
