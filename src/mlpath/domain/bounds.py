"""The ranges every date, number of hours and timeout must fall in, with clear messages.

Python's dates end at year 9999 and floats at about 1.8e308; mlpath keeps every value
it computes with far from both, so that arithmetic on them never overflows.
"""

from __future__ import annotations

import math
from datetime import date

from mlpath.errors import InputError

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)
# A plan may not run past this day: calendars and reports add weeks and years to it.
LAST_PLAN_DAY = date(9000, 12, 31)
MIN_TIMEOUT = 1.0
MAX_TIMEOUT = 24 * 3600.0
MAX_TEXT_OPTION = 200  # characters of a free-text option such as --tz


def check_date(day: date, option: str) -> date:
    """``day`` when it is between :data:`MIN_DATE` and :data:`MAX_DATE`, else InputError."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(
            f"{option} must be a date between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()} "
            f"(got {day.isoformat()})."
        )
    return day


def check_number(value: float, option: str, low: float, high: float, unit: str = "") -> float:
    """``value`` when finite and within ``low``..``high``, else InputError naming the range."""
    if not (math.isfinite(value) and low <= value <= high):
        shown = f"{value:g}" if math.isfinite(value) else str(value)
        raise InputError(f"{option} must be between {low:g} and {high:g}{unit} (got {shown}).")
    return value


def check_timeout(seconds: float, option: str = "--timeout") -> float:
    return check_number(seconds, option, MIN_TIMEOUT, MAX_TIMEOUT, " seconds")


def check_text(value: str, option: str, limit: int = MAX_TEXT_OPTION) -> str:
    if len(value) > limit:
        raise InputError(f"{option} is too long ({len(value)} characters; at most {limit}).")
    return value
