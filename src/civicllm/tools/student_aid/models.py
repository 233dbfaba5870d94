"""Request and result models of the student aid estimate (shared/spec/student-aid-estimate.md)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

__all__ = [
    "FAFSA_STATE_CODES",
    "MAX_AMOUNT",
    "Assets",
    "DependencyAnswers",
    "Enrollment",
    "EstimateRequest",
    "EstimateResult",
    "IncomeBlock",
    "Parents",
    "Student",
    "WorksheetLine",
]

# USPS codes of the states, DC, territories and freely associated states; armed forces codes;
# Canadian provinces and territories; CN (Canada), MX (Mexico), FC (foreign country).
FAFSA_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY "
    "AS FM GU MH MP PR PW VI AA AE AP "
    "AB BC MB NB NL NS NT NU ON PE QC SK YT CN MX FC".split()
)


# No FAFSA amount comes near a trillion dollars; a number this large is a typing slip (extra
# digits) or a probe. The bound also keeps every sum and rounding inside the 28 significant
# digits of the default Decimal context, so the formula never meets ``InvalidOperation``.
MAX_AMOUNT = 10**12


def _to_money(value: Any) -> Any:
    # JSON numbers only: a string or a boolean is a wrong type, not a number to coerce.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number of US dollars, such as 2500 or 2500.50")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number of US dollars, such as 2500 or 2500.50")
    # A float keeps the digits it was written with (0.1 is 0.1, not 0.1000000000000000055...);
    # ED's rounding to whole dollars is the calculator's business.
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite():
        raise ValueError("must be a finite number of US dollars, such as 2500 or 2500.50")
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(
            "must be less than 1,000,000,000,000 US dollars either side of zero; "
            "check the amount for extra digits"
        )
    return amount


def _money_schema(minimum: int | None) -> dict[str, Any]:
    # What the validator accepts, for clients and for models calling the tool: a JSON number.
    schema: dict[str, Any] = {"type": "number", "exclusiveMaximum": MAX_AMOUNT}
    if minimum is None:
        schema["exclusiveMinimum"] = -MAX_AMOUNT
    else:
        schema["minimum"] = minimum
    return schema


Money = Annotated[
    Decimal,
    BeforeValidator(_to_money),
    Field(allow_inf_nan=False),
    WithJsonSchema(_money_schema(None)),
]
NonNegativeMoney = Annotated[
    Decimal,
    BeforeValidator(_to_money),
    Field(ge=0, allow_inf_nan=False),
    WithJsonSchema(_money_schema(0)),
]


def _to_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


WholeNumber = Annotated[int, BeforeValidator(_to_int)]


def _to_state(value: Any) -> Any:
    if not isinstance(value, str) or value.upper() not in FAFSA_STATE_CODES:
        raise ValueError(
            "must be a FAFSA state code: a two-letter USPS code of a state, DC or territory, "
            "AA/AE/AP, a Canadian province code, CN, MX or FC"
        )
    return value.upper()


StateCode = Annotated[str, BeforeValidator(_to_state)]


def _not_in_future(value: date) -> date:
    if value > date.today():
        raise ValueError("is in the future; give the student's real date of birth")
    return value


BirthDate = Annotated[date, AfterValidator(_not_in_future)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IncomeBlock(_Strict):
    """One person's tax-year figures (a joint return is given once, in the first person's)."""

    filed_or_will_file_tax_return: StrictBool
    non_filer_reason: (
        Literal[
            "income_below_filing_threshold",
            "no_earned_income",
            "other",
            "foreign_income_no_return_required",
        ]
        | None
    ) = None
    tax_filing_status: Literal[
        "single",
        "married_filing_jointly",
        "married_filing_separately",
        "head_of_household",
        "qualifying_surviving_spouse",
    ] = "single"
    adjusted_gross_income: Money = Decimal(0)
    income_tax_paid: Money = Decimal(0)
    earned_income: Money = Decimal(0)
    tax_exempt_interest: NonNegativeMoney = Decimal(0)
    ira_deductions_and_payments: NonNegativeMoney = Decimal(0)
    untaxed_ira_distributions: NonNegativeMoney = Decimal(0)
    ira_rollover: NonNegativeMoney = Decimal(0)
    untaxed_pensions: NonNegativeMoney = Decimal(0)
    pension_rollover: NonNegativeMoney = Decimal(0)
    foreign_earned_income_exclusion: NonNegativeMoney = Decimal(0)
    education_credits: NonNegativeMoney = Decimal(0)
    taxable_college_grants_and_scholarships: NonNegativeMoney = Decimal(0)
    federal_work_study_earnings: NonNegativeMoney = Decimal(0)
    schedule_c_net_profit: Money = Decimal(0)
    filed_schedule_a_b_d_e_f_or_h: StrictBool | None = None
    received_earned_income_tax_credit: StrictBool = False


class Assets(_Strict):
    """Assets as of the day of the FAFSA (for a couple, together)."""

    cash_savings_checking: NonNegativeMoney = Decimal(0)
    investments_net_worth: Money = Decimal(0)
    business_and_farm_net_worth: Money = Decimal(0)
    child_support_received: NonNegativeMoney = Decimal(0)
    # Added to the spec: from 2026-27 the net worth of a family farm the family lives on and
    # operates, or of a small business (100 or fewer full-time employees) the family owns and
    # controls, is left out again.
    business_is_small_business_or_family_farm: StrictBool = False


class DependencyAnswers(_Strict):
    """The FAFSA dependency questions."""

    graduate_student: StrictBool = False
    active_duty: StrictBool = False
    veteran: StrictBool = False
    supports_children_or_other_dependents: StrictBool = False
    orphan_foster_or_ward_after_13: StrictBool = False
    emancipated_minor: StrictBool = False
    legal_guardianship: StrictBool = False
    unaccompanied_homeless_youth: StrictBool = False
    homeless_youth_determination: StrictBool = False
    unusual_circumstances: StrictBool = False
    dependency_override_granted: StrictBool = False


class Student(_Strict):
    """The student's answers."""

    date_of_birth: BirthDate
    marital_status: Literal["single", "married", "remarried", "separated", "divorced", "widowed"]
    state_of_legal_residence: StateCode
    dependency: DependencyAnswers = DependencyAnswers()
    family_size: WholeNumber | None = Field(default=None, ge=1, le=99)
    received_federal_benefits: StrictBool = False
    income: IncomeBlock
    spouse_income: IncomeBlock | None = None
    assets: Assets = Assets()


class Parents(_Strict):
    """The parents' answers (dependent students)."""

    marital_status: Literal[
        "never_married",
        "unmarried_both_legal_parents_living_together",
        "married",
        "remarried",
        "divorced",
        "separated",
        "widowed",
    ]
    state_of_legal_residence: StateCode
    family_size: WholeNumber | None = Field(default=None, ge=2, le=99)
    older_parent_age: WholeNumber | None = Field(default=None, ge=0, le=130)
    received_federal_benefits: StrictBool = False
    income: IncomeBlock
    spouse_income: IncomeBlock | None = None
    assets: Assets = Assets()


class Enrollment(_Strict):
    """What the Pell estimate needs about the student's enrollment."""

    cost_of_attendance: NonNegativeMoney | None = None
    enrollment_intensity_percent: WholeNumber = Field(default=100, ge=0, le=100)
    # Added to the spec: grants and scholarships from non-federal sources (state, school,
    # private); from 2026-27 no Pell Grant when they cover the full cost of attendance.
    non_federal_grant_aid: NonNegativeMoney = Decimal(0)


class EstimateRequest(_Strict):
    """The JSON request of ``student-aid/estimate``.

    Example::

        EstimateRequest.model_validate({
            "award_year": "2025-26",
            "student": {"date_of_birth": "2007-05-01", "marital_status": "single",
                        "state_of_legal_residence": "OH",
                        "income": {"filed_or_will_file_tax_return": False}},
            "parents": {"marital_status": "married", "state_of_legal_residence": "OH",
                        "income": {"filed_or_will_file_tax_return": True,
                                   "tax_filing_status": "married_filing_jointly",
                                   "adjusted_gross_income": 65000}},
        })
    """

    award_year: str
    student: Student
    parents: Parents | None = None
    enrollment: Enrollment | None = None

    @field_validator("award_year")
    @classmethod
    def _supported_year(cls, value: str, info: ValidationInfo) -> str:
        # The years with data tables come in the validation context (``award_years``), so
        # this error is reported together with every other bad field.
        years = (info.context or {}).get("award_years")
        if years is not None and value not in years:
            raise ValueError(
                f"'{value}' is not a supported award year; use one of {', '.join(years)}"
            )
        return value


class WorksheetLine(_Strict):
    """One line of the worksheet: where a number came from and what it means."""

    line: str
    label: str
    amount: int
    source: str


class EstimateResult(BaseModel):
    """The JSON result of ``student-aid/estimate``."""

    model_config = ConfigDict(extra="forbid")

    award_year: str
    dependency_status: Literal["dependent", "independent", "provisionally_independent"]
    dependency_reason: str
    formula: Literal["A", "B", "C"]
    sai: int
    max_pell_eligible: bool
    min_pell_eligible: bool
    pell_grant: int
    intermediates: dict[str, int]
    worksheet: list[WorksheetLine]
    tables_version: str
    notes: list[str]
