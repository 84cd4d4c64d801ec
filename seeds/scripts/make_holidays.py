"""Generate seeds/us_federal_holidays.csv: US federal holidays and their observed dates.

Holidays are those of 5 U.S.C. 6103(a) (Juneteenth from 2021, when it was enacted).
Observed dates follow 5 U.S.C. 6103(b) and Executive Order 11582 as applied by OPM: a holiday
on a Saturday is observed the Friday before, one on a Sunday the Monday after. Inauguration
Day (6103(c)) is a holiday only in the Washington DC area, so it is left out.

Run from the repository root:  python seeds/scripts/make_holidays.py [first_year last_year]
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FIRST_YEAR = 2020
LAST_YEAR = 2031
OUT = Path(__file__).resolve().parent.parent / "us_federal_holidays.csv"
SOURCE = "5 U.S.C. 6103(a); observed per 6103(b)/EO 11582 (OPM): Sat -> Fri, Sun -> Mon"

MONDAY, THURSDAY, SATURDAY, SUNDAY = 0, 3, 5, 6


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (n = -1: the last one)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def observed(holiday: date) -> date:
    if holiday.weekday() == SATURDAY:
        return holiday - timedelta(days=1)
    if holiday.weekday() == SUNDAY:
        return holiday + timedelta(days=1)
    return holiday


def holidays(year: int) -> Iterator[tuple[date, str]]:
    yield date(year, 1, 1), "New Year's Day"
    yield nth_weekday(year, 1, MONDAY, 3), "Birthday of Martin Luther King, Jr."
    yield nth_weekday(year, 2, MONDAY, 3), "Washington's Birthday"
    yield nth_weekday(year, 5, MONDAY, -1), "Memorial Day"
    if year >= 2021:
        yield date(year, 6, 19), "Juneteenth National Independence Day"
    yield date(year, 7, 4), "Independence Day"
    yield nth_weekday(year, 9, MONDAY, 1), "Labor Day"
    yield nth_weekday(year, 10, MONDAY, 2), "Columbus Day"
    yield date(year, 11, 11), "Veterans Day"
    yield nth_weekday(year, 11, THURSDAY, 4), "Thanksgiving Day"
    yield date(year, 12, 25), "Christmas Day"


def rows(first_year: int, last_year: int) -> list[list[str]]:
    out = []
    for year in range(first_year, last_year + 1):
        for day, name in holidays(year):
            out.append([day.isoformat(), observed(day).isoformat(), name, SOURCE])
    return out


def main(argv: list[str]) -> None:
    first, last = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (FIRST_YEAR, LAST_YEAR)
    with OUT.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["holiday_date", "observed_date", "holiday_name", "source"])
        writer.writerows(rows(first, last))


if __name__ == "__main__":
    main(sys.argv[1:])
