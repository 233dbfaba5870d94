"""How the water-energy tools reach the snapshot, and how they check their input.

The tools are functions of their input, but they read the snapshot: ``current_snapshot()``
opens ``<home>/data/snapshot.duckdb`` for the home that ``load_settings()`` names (so
``CIVICLLM_HOME`` and the config file are honoured) and keeps it open, one per home path, in
a ``functools.cache``. What that trades away: the first call of a process pays the import of
the shipped files (about two seconds, once per home), later calls pay nothing; a snapshot
re-imported by another process is seen only by a new process. ``Snapshot`` is safe to share
across threads (it holds a lock), so the server's worker threads share one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from civicllm.data import Place, Snapshot, open_snapshot
from civicllm.data.places import load_place_table
from civicllm.errors import InputError

__all__ = [
    "INDICATORS",
    "SHARE_INDICATORS",
    "Checks",
    "check_fields",
    "check_indicator",
    "check_int",
    "check_place",
    "check_year",
    "current_home",
    "current_snapshot",
    "group_members",
    "snapshot_at",
]

INDICATORS: tuple[str, ...] = (
    "electricity_access",
    "electricity_access_urban",
    "electricity_access_rural",
    "td_losses",
    "water_basic",
    "water_safely_managed",
    "population",
)
# The shares whose complement, times population, is a number of people without access.
SHARE_INDICATORS: tuple[str, ...] = ("electricity_access", "water_basic", "water_safely_managed")
FIRST_YEAR, LAST_YEAR = 1960, 2100
T = TypeVar("T")


@cache
def snapshot_at(home: Path) -> Snapshot:
    """Return the snapshot of a home directory, opened once per process."""
    return open_snapshot(home)


def current_home() -> Path:
    """Return the configured home directory (``CIVICLLM_HOME``, the config, ~/.civicllm)."""
    from civicllm.config import load_settings

    return Path(load_settings().home).expanduser().resolve()


def current_snapshot() -> Snapshot:
    """Return the snapshot of the configured home."""
    return snapshot_at(current_home())


def group_members(snapshot: Snapshot, group: Place) -> list[Place]:
    """Return the member countries of a group: the snapshot's, else those places.yaml lists.

    The World Bank's "Africa Western and Central" (AFW) and "Africa Eastern and Southern"
    (AFE) have no members in the files (their countries' region is Sub-Saharan Africa), so
    their lists come from ``places.yaml``.
    """
    found = snapshot.members(group)
    if found:
        return found
    info = load_place_table().aggregates.get(group.code)
    listed = [snapshot.place(code) for code in (info.countries if info else ())]
    return sorted((p for p in listed if p is not None), key=lambda p: p.name)


def check_fields(
    request: Mapping[str, Any], required: Iterable[str], optional: Iterable[str]
) -> None:
    """Raise InputError for a request that is not an object, lacks a field or has extra ones."""
    if not isinstance(request, Mapping):
        raise InputError("The request must be a JSON object.", param=None)
    required, optional = tuple(required), tuple(optional)
    details: list[tuple[str | None, str]] = []
    for name in required:
        if request.get(name) in (None, "", []):
            details.append((name, f"Field '{name}' is required."))
    known = (*required, *optional)
    for name in request:
        if name not in known:
            details.append(
                (str(name), f"Unknown field '{name}': the fields are {', '.join(known)}.")
            )
    if details:
        raise InputError.from_details(details)


def check_indicator(value: Any, allowed: tuple[str, ...] = INDICATORS) -> str:
    """Return a known indicator short name; else InputError naming 'indicator'."""
    if isinstance(value, str) and value.strip() in allowed:
        return value.strip()
    raise InputError(
        f"Unknown indicator {value!r}: use one of {', '.join(allowed)}.", param="indicator"
    )


def check_place(snapshot: Snapshot, value: Any, param: str = "place") -> Place:
    """Return the place a name or code means; else InputError naming the field and the name."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            f"Field '{param}' must be a place name or ISO3 code, e.g. 'Kenya' or 'KEN'.",
            param=param,
        )
    place = snapshot.place(value) if len(value.strip()) <= 3 else None
    place = place or snapshot.resolve(value)
    if place is None:
        raise InputError(
            f"No country, region or income group called {value.strip()!r} is in the data: "
            "use its name in English, Spanish, French or German, or its ISO3 code.",
            param=param,
        )
    return place


def _whole(value: Any) -> int | None:
    """Return a JSON number that is a whole number (2015, 2015.0) as an int; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def check_int(value: Any, param: str, low: int, high: int) -> int:
    """Return a whole number between low and high; else InputError naming the field.

    Only numbers are taken: 5 and 5.0 are 5, but "5" (a string) is an error.
    """
    number = _whole(value)
    if number is None or not low <= number <= high:
        raise InputError(
            f"Field '{param}' must be a whole number from {low} to {high}, written as a "
            f'number (5, not "5"); it is {value!r}.',
            param=param,
        )
    return number


def check_year(value: Any, param: str = "year") -> int | None:
    """Return a year (None when absent); InputError naming the field for anything else."""
    if value is None:
        return None
    try:
        return check_int(value, param, FIRST_YEAR, LAST_YEAR)
    except InputError:
        raise InputError(
            f"Field '{param}' must be a year from {FIRST_YEAR} to {LAST_YEAR}, written as a "
            f'number (2020, not "2020"); it is {value!r}.',
            param=param,
        ) from None


class Checks:
    """Check a request field by field and keep every problem, so one error names them all.

    Example::

        checks = Checks(request, ("indicator", "place"), ("year",))
        indicator = checks.run("indicator", check_indicator, request.get("indicator"))
        year = checks.run("year", check_year, request.get("year"))
        checks.done()  # InputError listing each bad field, one line each

    A field already reported (missing, say) is not checked again.
    """

    def __init__(
        self, request: Mapping[str, Any], required: Iterable[str], optional: Iterable[str]
    ) -> None:
        self.details: list[tuple[str | None, str]] = []
        if not isinstance(request, Mapping):
            check_fields(request, required, optional)  # raises: nothing else can be read
        try:
            check_fields(request, required, optional)
        except InputError as exc:
            self.details.extend(exc.details)

    def run(self, param: str, check: Callable[..., T], *args: Any) -> T | None:
        """Return what ``check(*args)`` returns, or None after noting its InputError."""
        if any(name == param for name, _ in self.details):
            return None
        try:
            return check(*args)
        except InputError as exc:
            self.details.extend(exc.details)
            return None

    def add(self, param: str, message: str) -> None:
        """Note a problem found outside a check function."""
        self.details.append((param, message))

    def done(self) -> None:
        """Raise one InputError naming every problem noted, if any."""
        if self.details:
            raise InputError.from_details(self.details)
