"""The public API: estimate, the tool record, its JSON schema and the worksheet table."""

from __future__ import annotations

import json
from typing import Any

import civicllm.tools.student_aid as student_aid
from civicllm.tools.base import load_tools
from civicllm.tools.student_aid import (
    INPUT_SCHEMA,
    TOOLS,
    EstimateRequest,
    EstimateResult,
    estimate,
    format_worksheet,
)

SPEC_OUTPUT_KEYS = {
    "award_year",
    "dependency_status",
    "formula",
    "sai",
    "max_pell_eligible",
    "min_pell_eligible",
    "pell_grant",
    "intermediates",
    "worksheet",
    "tables_version",
    "notes",
}


def test_public_names() -> None:
    assert {"estimate", "format_worksheet", "INPUT_SCHEMA", "TOOLS"} <= set(student_aid.__all__)
    for name in student_aid.__all__:
        assert hasattr(student_aid, name), name


def test_tool_is_registered() -> None:
    # Through civicllm's own "civicllm.tools" entry point, as a third-party tool would be.
    assert load_tools()["student-aid/estimate"] is TOOLS[0]


def test_tool_record() -> None:
    tool = TOOLS[0]
    assert tool.id == "student-aid/estimate"
    assert tool.run is estimate
    assert tool.version
    spec = tool.function_spec()
    assert spec["function"]["name"] == "student-aid__estimate"
    assert spec["function"]["parameters"]["properties"]["award_year"]["enum"] == [
        "2024-25",
        "2025-26",
        "2026-27",
        "2027-28",
    ]


def test_schema_is_json_and_forbids_unknown_fields() -> None:
    text = json.dumps(INPUT_SCHEMA)
    assert '"additionalProperties": false' in text
    assert set(INPUT_SCHEMA["required"]) == {"award_year", "student"}


def test_result_has_the_spec_shape(dependent: dict[str, Any]) -> None:
    result = estimate(dependent)
    assert set(result) >= SPEC_OUTPUT_KEYS
    assert result["dependency_reason"] in result["notes"]
    EstimateResult.model_validate(result)
    json.dumps(result)  # plain JSON types only
    assert all(isinstance(v, int) for v in result["intermediates"].values())


def test_worksheet_lines_are_in_order_and_tagged(dependent: dict[str, Any]) -> None:
    result = estimate(dependent)
    lines = result["worksheet"]
    formula_lines = [row["line"] for row in lines if row["line"].startswith("A")]
    assert formula_lines == [f"A{i}" for i in range(1, len(formula_lines) + 1)]
    sources = {row["source"].split(":")[0] for row in lines}
    assert sources <= {"input", "computed", "table"}
    labels = [row["label"] for row in lines]
    assert labels.index("Parents' total income") < labels.index("Parents' contribution")
    assert labels.index("Parents' contribution") < labels.index("Student's total income")
    by_label = {row["label"]: row["amount"] for row in lines}
    assert by_label["Student Aid Index"] == result["sai"]
    assert by_label["Estimated Pell Grant"] == result["pell_grant"]


def test_format_worksheet_is_a_readable_table(dependent: dict[str, Any]) -> None:
    result = estimate(dependent)
    text = format_worksheet(result)
    assert "Student Aid Index (SAI):" in text
    assert f"{result['sai']:,}" in text
    assert "Parents' income protection allowance (family of 4)" in text
    assert "43,870" in text  # the 2025-26 allowance for a family of four
    assert "table:income_protection_allowance" in text


def test_request_model_accepts_the_docstring_example() -> None:
    assert EstimateRequest.__doc__ is not None
    example = EstimateRequest.model_validate(
        {
            "award_year": "2025-26",
            "student": {
                "date_of_birth": "2007-05-01",
                "marital_status": "single",
                "state_of_legal_residence": "OH",
                "income": {"filed_or_will_file_tax_return": False},
            },
            "parents": {
                "marital_status": "married",
                "state_of_legal_residence": "OH",
                "income": {
                    "filed_or_will_file_tax_return": True,
                    "tax_filing_status": "married_filing_jointly",
                    "adjusted_gross_income": 65000,
                },
            },
        }
    )
    assert example.parents is not None and example.parents.family_size is None


def test_default_family_sizes_follow_the_spec(dependent: dict[str, Any]) -> None:
    del dependent["parents"]["family_size"]
    result = estimate(dependent)
    # Omitted for married parents: 3, so the 2025-26 allowance for three, $35,510.
    assert result["intermediates"]["parent_income_protection_allowance"] == 35510


def test_provisionally_independent_gets_the_independent_sai() -> None:
    request: dict[str, Any] = {
        "award_year": "2025-26",
        "student": {
            "date_of_birth": "2006-01-01",
            "marital_status": "single",
            "state_of_legal_residence": "OH",
            "dependency": {"unusual_circumstances": True},
            "income": {
                "filed_or_will_file_tax_return": True,
                "adjusted_gross_income": 40000,
                "earned_income": 40000,
            },
        },
    }
    result = estimate(request)
    assert result["dependency_status"] == "provisionally_independent"
    assert result["formula"] == "B"
    assert "financial aid administrator" in result["dependency_reason"]
    request["student"]["dependency"]["dependency_override_granted"] = True
    assert estimate(request)["dependency_status"] == "independent"
