"""Value rules of INPUTS.md as polars expressions: one expression per column, one reason per
broken rule.

Every rule is vectorised so a claims file of a few hundred thousand lines validates in a
fraction of a second; Python only touches the rows that fail. The raw layer stores cells as
received, and staging casts them, so these rules are exactly what makes those casts safe:
a value that passes here must cast in staging without error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from ingest.schemas import BOOL, DATE, DECIMAL, ENUM, INT, NPI, POS, STATE, Column

# Cells whose value must never appear in a reason or message: the note is PHI and the
# quarantine reasons and load messages are shown on the data-health page and in logs.
PHI_COLUMNS = frozenset({"note_text"})

BOOL_VALUES = ("true", "false", "1", "0", "yes", "no", "y", "n")

# Staging casts int columns to INTEGER; anything outside 32 bits would fail there.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

# Long cells (a pasted paragraph in the wrong column) are cut in reasons to stay readable.
_SHOWN_CHARS = 60

_INT_RE = r"^-?[0-9]+$"
# Plain decimal dollars: no currency sign, thousands separator or exponent (a float written
# as `1e3` would be money stored as a float). At most 16 digits before the point, so the
# value fits the DECIMAL(18,2) that staging casts money to.
_DECIMAL_RE = r"^-?[0-9]{1,16}(\.[0-9]+)?$"
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_NPI_RE = r"^[0-9]{10}$"
_STATE_RE = r"^[A-Z]{2}$"
_POS_RE = r"^[0-9]{2}$"


def npi_check_digit_ok(value: pl.Expr) -> pl.Expr:
    """True where a 10-digit NPI carries a valid check digit.

    CMS, "Requirements for National Provider Identifier (NPI) and NPI Enumeration Check
    Digit" (the NPI standard, 45 CFR 162.406): the check digit is the ISO/IEC 7812 Luhn
    digit computed over the card-issuer prefix 80840 followed by the first nine NPI digits.
    The prefix always contributes 24 to the Luhn sum, so it is added as a constant.
    """
    digits = [value.str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(10)]
    total = pl.lit(24, dtype=pl.Int32)
    for i, digit in enumerate(digits[:9]):
        # Counting from the check digit leftwards, every second digit is doubled: with nine
        # payload digits these are the ones at even offsets from the left.
        if i % 2 == 0:
            doubled = digit * 2
            total = total + pl.when(doubled > 9).then(doubled - 9).otherwise(doubled)
        else:
            total = total + digit
    return (total + digits[9]) % 10 == 0


def _shown(column: Column, value: pl.Expr) -> pl.Expr:
    if column.name in PHI_COLUMNS:
        return pl.lit("(value withheld)")
    return value.str.slice(0, _SHOWN_CHARS)


def _bad(column: Column, value: pl.Expr, rule: str) -> pl.Expr:
    """The reason text `<column> '<value>' <rule>`."""
    if column.name in PHI_COLUMNS:
        return pl.lit(f"{column.name} {rule}")
    return pl.format(f"{column.name} '{{}}' {rule}", _shown(column, value))


def _type_rules(column: Column, v: pl.Expr) -> list[tuple[pl.Expr, pl.Expr]]:
    """(condition, reason) pairs for a non-empty value, checked in order; the first hit wins."""
    t = column.type
    if t == INT:
        as_int = v.cast(pl.Int64, strict=False)
        low = INT32_MIN if column.min_value is None else max(column.min_value, INT32_MIN)
        high = INT32_MAX if column.max_value is None else min(column.max_value, INT32_MAX)
        return [
            (~v.str.contains(_INT_RE), _bad(column, v, "is not a whole number")),
            (as_int.is_null(), _bad(column, v, "is out of range")),
            (as_int < low, _bad(column, v, f"is below the minimum {low}")),
            (as_int > high, _bad(column, v, f"is above the maximum {high}")),
        ]
    if t == DECIMAL:
        rule = "is not a plain decimal amount like 1234.50 (no $, commas or exponent)"
        rules = [(~v.str.contains(_DECIMAL_RE), _bad(column, v, rule))]
        if column.min_value == 0:
            # INPUTS general rules: money is >= 0 except ledger amounts (-0.00 is zero).
            negative = v.str.starts_with("-") & v.str.contains("[1-9]")
            rules.append((negative, _bad(column, v, "is negative: this amount must be >= 0")))
        return rules
    if t == DATE:
        # The pattern pins the shape (chrono alone accepts `2026-1-5`); the parse rejects
        # dates that do not exist, like 2026-02-30.
        real = v.str.to_date("%Y-%m-%d", strict=False).is_not_null()
        ok = v.str.contains(_DATE_RE) & real
        return [(~ok, _bad(column, v, "is not a valid YYYY-MM-DD date"))]
    if t == BOOL:
        rule = "is not a yes/no value (true/false, yes/no, y/n, 1/0)"
        return [(~v.str.to_lowercase().is_in(BOOL_VALUES), _bad(column, v, rule))]
    if t == ENUM:
        rule = "is not one of " + ", ".join(column.values)
        return [(~v.is_in(column.values), _bad(column, v, rule))]
    if t == NPI:
        return [
            (~v.str.contains(_NPI_RE), _bad(column, v, "is not a 10-digit NPI")),
            (
                ~npi_check_digit_ok(v),
                _bad(column, v, "fails the NPI check digit (Luhn with prefix 80840)"),
            ),
        ]
    if t == STATE:
        return [(~v.str.contains(_STATE_RE), _bad(column, v, "is not a 2-letter upper-case state"))]
    if t == POS:
        rule = "is not a 2-digit place-of-service code"
        return [(~v.str.contains(_POS_RE), _bad(column, v, rule))]
    return []


def column_problem(column: Column) -> pl.Expr | None:
    """The reason one cell of `column` breaks a rule, or null; None when nothing to check."""
    v = pl.col(column.name)
    rules = _type_rules(column, v)
    if column.required:
        # A cell of spaces is as empty as no cell for a key or an amount.
        empty = v.is_null() | (v.str.strip_chars() == "")
        rules = [(empty, pl.lit(f"{column.name} is required but empty")), *rules]
    elif not rules:
        return None
    else:
        rules = [(v.is_null(), pl.lit(None, dtype=pl.String)), *rules]
    condition, reason = rules[0]
    chain = pl.when(condition).then(reason)
    for condition, reason in rules[1:]:
        chain = chain.when(condition).then(reason)
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def row_problems(columns: Sequence[Column], first: Mapping[str, pl.Expr] | None = None) -> pl.Expr:
    """Every broken rule of a row joined by `; `, or an empty string for a good row.

    `first` gives a column's reason that wins over its own rules (a column map's: a date
    not in the map's format is named as such, not as a bad ISO date)."""
    problems = []
    for c in columns:
        problem = column_problem(c)
        if first and c.name in first:
            problem = first[c.name] if problem is None else pl.coalesce(first[c.name], problem)
        if problem is not None:
            problems.append(problem)
    if not problems:
        return pl.lit("")
    return pl.concat_str(problems, separator="; ", ignore_nulls=True)
