"""Reading free-text replies: amounts, whole numbers and lists of them, yes/no, choices, dates."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from civicllm.answer.flow.definition import MAX_MONEY, Flow
from civicllm.answer.flow.texts import message
from civicllm.errors import ConfigError, InputError
from civicllm.language import fold

__all__ = ["canonical_text", "format_money", "is_unknown", "parse_reply"]


def parse_reply(flow: Flow, step: Mapping[str, Any], reply: str, language: str) -> Any:
    """Read a free-text reply as the step's type; raise InputError with a localized message."""
    text = reply.strip()
    kind = step["type"]
    if kind == "money":
        return _read_money(flow, step, text, language)
    if kind == "integer":
        digits = re.sub(r"[\s,._]", "", text)
        if not re.fullmatch(r"\d{1,6}", digits):
            raise InputError(message(flow, "invalid_integer", language), param=step["field"])
        number = int(digits)
        low, high = int(step.get("min", 0)), int(step.get("max", 999999))
        if not low <= number <= high:
            problem = message(flow, "out_of_range", language, min=low, max=high)
            raise InputError(problem, param=step["field"])
        return number
    if kind == "integer_list":
        return _parse_integer_list(flow, step, text, language)
    if kind == "yes_no":
        word = fold(text).strip()
        if word in {fold(w).strip() for w in flow.vocabulary.get("yes", [])} | {"true"}:
            return True
        if word in {fold(w).strip() for w in flow.vocabulary.get("no", [])} | {"false"}:
            return False
        raise InputError(message(flow, "invalid_yes_no", language), param=step["field"])
    if kind == "choice":
        return _parse_choice(flow, step, text, language)
    if kind == "date":
        return _parse_date(flow, step, text, language)
    raise ConfigError(f"Step {step['id']} of type {kind} takes no reply.")


def format_money(amount: int | float, language: str, *, symbol: bool = True) -> str:
    """Format whole dollars the way readers of ``language`` expect."""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(round(amount)):,}"
    if language != "en":
        digits = digits.replace(",", {"fr": "\u202f"}.get(language, "."))
    if not symbol:
        return f"{sign}{digits}"
    return f"{sign}${digits}" if language == "en" else f"{sign}{digits} $"


def _read_money(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> int:
    """Read a money reply as whole dollars within the step's range, or raise InputError."""
    amount = _parse_money(text)
    if amount is None:
        raise InputError(message(flow, "invalid_money", language), param=step["field"])
    negative_allowed = bool(step.get("allow_negative", False))
    limit = int(step.get("max", MAX_MONEY))
    if abs(amount) <= limit:
        # Round half away from zero, as agencies that ask for whole dollars do; within the limit
        # the quantize cannot overflow the Decimal context.
        dollars = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if dollars >= 0 or negative_allowed:
            return dollars
    elif amount > 0 or negative_allowed:
        low = format_money(-limit if negative_allowed else 0, language, symbol=False)
        high = format_money(limit, language, symbol=False)
        problem = message(flow, "out_of_range", language, min=low, max=high)
        raise InputError(problem, param=step["field"])
    raise InputError(message(flow, "negative_money", language), param=step["field"])


def _parse_money(text: str) -> Decimal | None:
    """Read "$52,000", "52.000", "52 000,50", "-1,200" or "52k" as an exact amount."""
    cleaned = fold(text).replace("usd", "").replace("us$", "").replace("dollars", "")
    cleaned = re.sub(r"[$\s\u00a0\u202f']", "", cleaned)
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("-()+")
    scale = 1
    if cleaned.endswith("k"):
        scale, cleaned = 1000, cleaned[:-1]
    if not re.fullmatch(r"\d[\d.,]*", cleaned or "x"):
        return None
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = max(last_dot, last_comma)
        whole, cents = cleaned[:decimal], cleaned[decimal + 1 :]
    else:
        sep = "." if last_dot >= 0 else ","
        parts = cleaned.split(sep)
        # One separator followed by exactly three digits is a thousands separator
        # ("52.000" in Spanish, French and German); one to two digits are cents.
        if len(parts) == 2 and len(parts[1]) in (1, 2):
            whole, cents = parts[0], parts[1]
        else:
            whole, cents = cleaned, ""
    whole = re.sub(r"[.,]", "", whole)
    # ASCII digits only: "²" and "٣" pass isdigit() but are no amount anyone types.
    if not re.fullmatch(r"[0-9]+", whole) or not re.fullmatch(r"[0-9]*", cents):
        return None
    # Decimal keeps every digit of the reply (a float turns 31 digits into 1e30 and 400 into
    # infinity); cents beyond 20 places cannot change the rounding to dollars.
    amount = Decimal(f"{whole}.{cents[:20] or '0'}") * scale
    return -amount if negative else amount


# One number with thousands separators ("1,250", "1.250", "1 250"), or plain digits.
GROUPED = re.compile(r"[0-9]{1,3}(?:[,.\u00a0\u202f ][0-9]{3})+|[0-9]+")


def _parse_integer_list(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> list[int]:
    """Read whole numbers separated by semicolons, new lines or a comma and a space.

    A lone comma is read as a thousands separator where it can be one ("1,250" is one
    number, "12,14" two), so a count is never silently split; a number beyond the step's
    ``max`` (as "120,118,125" read as one number would be) is asked again.
    """
    low, high = int(step.get("min", 0)), int(step.get("max", 999999))
    limit = int(step.get("max_items", 200))
    problem = message(flow, "invalid_integer_list", language, min=low, max=high)
    numbers: list[int] = []
    for item in re.split(r"[;\n\t]|,(?=\s)", text):
        item = item.strip()
        if not item:
            continue
        pieces = [item] if GROUPED.fullmatch(item) else re.split(r"[,\s]+", item)
        for piece in pieces:
            # More digits than any count has is a slip (and int() refuses thousands of them).
            if len(piece) > 24 or not GROUPED.fullmatch(piece):
                raise InputError(problem, param=step["field"])
            number = int(re.sub(r"[^0-9]", "", piece))
            if not low <= number <= high:
                raise InputError(problem, param=step["field"])
            numbers.append(number)
    if not numbers:
        raise InputError(problem, param=step["field"])
    if len(numbers) > limit:
        raise InputError(
            message(flow, "too_many_numbers", language, max=limit), param=step["field"]
        )
    return numbers


def _parse_date(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> str:
    """Read an ISO, US (month first, English) or day-first date; return it as ISO."""
    year = month = day = 0
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    other = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif other:
        first, second, year = (int(g) for g in other.groups())
        month_first = language == "en" and "." not in text
        month, day = (first, second) if month_first else (second, first)
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise InputError(message(flow, "invalid_date", language), param=step["field"]) from None
    if parsed > date.today() or parsed.year < 1900:
        raise InputError(message(flow, "impossible_date", language), param=step["field"])
    return parsed.isoformat()


def _parse_choice(flow: Flow, step: Mapping[str, Any], text: str, language: str) -> Any:
    """Match a reply to an option by value, label in any language, or its number."""
    options = step.get("options", [])
    folded = fold(text).strip()
    if (
        re.fullmatch(r"[0-9]{1,3}", folded)
        and 1 <= int(folded) <= len(options)
        and not any(fold(str(o["value"])).strip() == folded for o in options)
    ):
        return options[int(folded) - 1]["value"]
    for option in options:
        labels = option.get("label", {})
        names = [str(option["value"])] + (
            list(labels.values()) if isinstance(labels, Mapping) else [str(labels)]
        )
        names += [str(a) for a in option.get("aliases", [])]
        if folded in {fold(n).strip() for n in names}:
            return option["value"]
    raise InputError(message(flow, "invalid_choice", language), param=step["field"])


def is_unknown(flow: Flow, reply: str) -> bool:
    """Tell whether a reply means "I don't know" in any of the flow's languages."""
    folded = fold(reply).strip().strip(" .!?¿¡")
    return reply.strip() == "?" or folded in {
        fold(w).strip() for w in flow.vocabulary.get("unknown", [])
    }


def canonical_text(value: Any) -> str:
    """Return a stored answer as a reply the parser reads back to the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "inf", "nan": read back as a bad answer, never an overflow
    if isinstance(value, (int, float)) and value < 0:
        return f"-{abs(int(value))}"
    if isinstance(value, list) and all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 10**18 for v in value
    ):
        return "; ".join(str(v) for v in value)  # an integer_list answer
    if isinstance(value, (list, dict)):
        return ""  # no other step takes a list or an object (and a deep one would not print)
    return str(value)
