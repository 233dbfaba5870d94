"""The screener's tables: which rules each program checks, its key figures, its next steps.

A rule names a fact of ``files/programs.yaml`` and the input field it is checked against;
the figures themselves live only in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMON_STEPS", "LIMITS", "NAMES", "NEXT_STEPS", "NOTES", "RULES", "Rule"]


@dataclass(frozen=True)
class Rule:
    """One screening rule: a fact of programs.yaml checked against one input field."""

    fact: str
    field: str
    required: bool = True  # False: checked only when the field is given


NAMES: dict[str, str] = {
    "7a": "SBA 7(a) loan",
    "504": "SBA 504 loan",
    "microloan": "SBA Microloan",
    "8a": "8(a) Business Development",
    "wosb": "Women-Owned Small Business (WOSB)",
    "edwosb": "Economically Disadvantaged WOSB (EDWOSB)",
    "hubzone": "HUBZone",
    "vosb": "Veteran-Owned Small Business (VOSB)",
    "sdvosb": "Service-Disabled Veteran-Owned Small Business (SDVOSB)",
    "sbir": "SBIR",
    "sttr": "STTR",
}

_SMALL = Rule("loan_basic_small", "is_small")
_PROFIT = Rule("loan_basic_for_profit", "for_profit")
_US = Rule("loan_basic_us", "us_based")
_SBIR = (
    Rule("sbir_for_profit", "for_profit"),
    Rule("sbir_for_profit", "us_based"),
    Rule("sbir_employees", "employees"),
    Rule("sbir_ownership", "us_owner_share"),
    Rule("sbir_research", "does_research"),
    Rule("sbir_authority", "as_of"),
)
RULES: dict[str, tuple[Rule, ...]] = {
    "7a": (_PROFIT, _US, _SMALL, Rule("loan_7a_max", "loan_amount", required=False)),
    "504": (
        _PROFIT,
        _US,
        _SMALL,
        Rule("loan_504_purpose", "loan_purpose"),
        Rule("loan_504_max", "loan_amount", required=False),
        Rule("loan_504_min", "loan_amount", required=False),
    ),
    "microloan": (
        _PROFIT,
        _US,
        _SMALL,
        Rule("microloan_max", "loan_amount", required=False),
        Rule("microloan_purpose", "loan_purpose", required=False),
    ),
    "8a": (
        _PROFIT,
        _SMALL,
        Rule("eighta_ownership", "disadvantaged_share"),
        Rule("eighta_net_worth", "personal_net_worth"),
        Rule("eighta_income", "average_agi"),
        Rule("eighta_assets", "total_assets"),
        Rule("eighta_years_in_business", "years_in_business"),
    ),
    "wosb": (_SMALL, Rule("wosb_ownership", "women_share")),
    "edwosb": (
        _SMALL,
        Rule("edwosb_ownership", "women_share"),
        Rule("edwosb_net_worth", "personal_net_worth"),
        Rule("edwosb_income", "average_agi"),
        Rule("edwosb_assets", "total_assets"),
    ),
    "hubzone": (
        _SMALL,
        Rule("hubzone_ownership", "us_citizen_share"),
        Rule("hubzone_principal_office", "hubzone_principal_office"),
        Rule("hubzone_employee_residency", "hubzone_employee_share"),
    ),
    "vosb": (_SMALL, Rule("vosb_ownership", "veteran_share")),
    "sdvosb": (_SMALL, Rule("sdvosb_ownership", "service_disabled_veteran_share")),
    "sbir": _SBIR,
    "sttr": (
        *_SBIR,
        Rule("sttr_partner", "research_institution_partner"),
        Rule("sttr_small_business_work", "sttr_small_business_work_share", required=False),
        Rule("sttr_institution_work", "sttr_institution_work_share", required=False),
    ),
}
LIMITS: dict[str, tuple[str, ...]] = {
    "7a": (
        "loan_7a_max",
        "loan_7a_guaranty_cap",
        "loan_7a_guaranty_small_loan",
        "loan_7a_guaranty_small_loan_limit",
        "loan_7a_guaranty_large_loan",
    ),
    "504": ("loan_504_max", "loan_504_max_special", "loan_504_min", "loan_504_project_share"),
    "microloan": ("microloan_max", "microloan_term_years"),
    "8a": (
        "eighta_ownership",
        "eighta_net_worth",
        "eighta_income",
        "eighta_assets",
        "eighta_years_in_business",
        "eighta_term_years",
    ),
    "wosb": ("wosb_ownership",),
    "edwosb": ("edwosb_ownership", "edwosb_net_worth", "edwosb_income", "edwosb_assets"),
    "hubzone": ("hubzone_ownership", "hubzone_employee_residency"),
    "vosb": ("vosb_ownership",),
    "sdvosb": ("sdvosb_ownership",),
    "sbir": ("sbir_employees", "sbir_ownership"),
    "sttr": (
        "sbir_employees",
        "sbir_ownership",
        "sttr_small_business_work",
        "sttr_institution_work",
    ),
}
_LENDER_MATCH = "https://www.sba.gov/funding-programs/loans/lender-match"
_CERTIFY = "https://certifications.sba.gov"
NEXT_STEPS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "7a": (
        (
            "lender",
            "Apply through an SBA-approved lender; Lender Match finds lenders near you.",
            _LENDER_MATCH,
        ),
        (
            "credit_elsewhere",
            (
                "Be ready to show the lender why you need the loan and that credit on reasonable "
                "terms is not available without SBA's guaranty."
            ),
            "https://www.ecfr.gov/current/title-13/section-120.101",
        ),
    ),
    "504": (
        (
            "cdc",
            "Ask a Certified Development Company (CDC) near you; Lender Match also reaches CDCs.",
            "https://www.sba.gov/funding-programs/loans/504-loans",
        ),
        (
            "credit_elsewhere",
            (
                "A private lender funds part of the project and you put in part; ask the CDC what "
                "share you need."
            ),
            "https://www.ecfr.gov/current/title-13/section-120.930",
        ),
    ),
    "microloan": (
        (
            "intermediary",
            "Apply to an SBA microloan intermediary (a nonprofit lender) near you.",
            "https://www.sba.gov/funding-programs/loans/microloans",
        ),
    ),
    "8a": (
        (
            "certify",
            (
                "Apply on MySBA Certifications (certifications.sba.gov); SBA also reviews social "
                "disadvantage, character and control."
            ),
            _CERTIFY,
        ),
    ),
    "wosb": (
        (
            "certify",
            (
                "Certify on MySBA Certifications (certifications.sba.gov) or through an approved "
                "third-party "
                "certifier."
            ),
            _CERTIFY,
        ),
    ),
    "edwosb": (
        (
            "certify",
            (
                "Certify on MySBA Certifications (certifications.sba.gov) or through an approved "
                "third-party "
                "certifier."
            ),
            _CERTIFY,
        ),
    ),
    "hubzone": (
        (
            "map",
            "Check your principal office and your employees' home addresses on SBA's HUBZone map.",
            "https://maps.certify.sba.gov/hubzone/map",
        ),
        ("certify", "Certify on MySBA Certifications (certifications.sba.gov).", _CERTIFY),
    ),
    "vosb": (
        (
            "certify",
            (
                "Apply for the Veteran Small Business Certification on MySBA Certifications "
                "(certifications.sba.gov)."
            ),
            _CERTIFY,
        ),
    ),
    "sdvosb": (
        (
            "certify",
            (
                "Apply for the Veteran Small Business Certification on MySBA Certifications "
                "(certifications.sba.gov)."
            ),
            _CERTIFY,
        ),
    ),
    "sbir": (
        (
            "solicitations",
            "Read the open solicitations of the agencies on SBIR.gov and register your firm there.",
            "https://www.sbir.gov",
        ),
    ),
    "sttr": (
        (
            "solicitations",
            (
                "Read the open STTR solicitations on SBIR.gov and agree the work split with your "
                "research institution."
            ),
            "https://www.sbir.gov",
        ),
    ),
}
COMMON_STEPS = (
    (
        "size_check",
        "Check that the business is small for its NAICS code (small-business/size-check).",
        "https://www.sba.gov/size-standards",
    ),
    (
        "counseling",
        "Free help: an SBA district office, a Small Business Development Center (SBDC) or SCORE.",
        "https://www.sba.gov/local-assistance",
    ),
)

# Rules the screener cannot check from numbers, shown with the program as notes.
NOTES: dict[str, tuple[str, ...]] = {
    "7a": ("loan_credit_elsewhere",),
    "504": ("loan_credit_elsewhere",),
    "8a": ("eighta_social_disadvantage",),
}
