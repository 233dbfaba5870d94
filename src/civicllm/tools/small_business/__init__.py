"""Small business support: SBA size checks, NAICS search and an SBA program screener.

Tools: ``small-business/size-check`` (13 CFR 121.101-121.106 on SBA's Table of Size
Standards in force on a date), ``small-business/naics-search`` (a plain description in EN/ES/
FR/DE to 6-digit NAICS 2022 codes with their size standards) and ``small-business/programs``
(SBA loan, contracting and research programs: eligibility reasons and what to check next).
See ``shared/spec/small-business-size.md`` for the first two.
"""

from __future__ import annotations

from civicllm.tools.base import Tool
from civicllm.tools.small_business.naics import NAICS_SEARCH
from civicllm.tools.small_business.programs import PROGRAMS
from civicllm.tools.small_business.size_tool import SIZE_CHECK

__all__ = ["TOOLS"]

TOOLS: list[Tool] = [SIZE_CHECK, NAICS_SEARCH, PROGRAMS]
