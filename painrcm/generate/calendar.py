"""The generated window: its months, the monthly delivery a record goes into, weekdays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# How far past as_of the schedule books visits (future appointments of the last delivery).
BOOKING_HORIZON = timedelta(days=60)


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


def clinic_day(d: date) -> date:
    """d, or the Monday after it when it falls on a weekend (clinics run Monday to Friday)."""
    wd = d.weekday()
    return d + timedelta(days=7 - wd) if wd >= 5 else d


def next_weekday(d: date, weekday: int) -> date:
    """The first day on or after d that falls on `weekday` (0 = Monday)."""
    return d + timedelta(days=(weekday - d.weekday()) % 7)


@dataclass(frozen=True)
class Window:
    """`months` calendar months ending with as_of's month, visits booked up to `horizon`."""

    start: date
    as_of: date
    horizon: date

    @classmethod
    def ending(cls, as_of: date, months: int) -> Window:
        return cls(add_months(month_start(as_of), -(months - 1)), as_of, as_of + BOOKING_HORIZON)

    @property
    def first_export(self) -> date:
        """The day before the window: reference extracts (payers, providers) go out then."""
        return self.start - timedelta(days=1)

    @property
    def fee_years(self) -> list[int]:
        """Fee schedule years: the window's, and at least the year before as_of's."""
        return list(range(min(self.start.year, self.as_of.year - 1), self.as_of.year + 1))

    def export_of(self, d: date) -> date:
        """The monthly delivery a record of date d goes into (the last one: as_of)."""
        return min(month_end(d), self.as_of)
