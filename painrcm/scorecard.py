"""The negotiator's payer scorecard (issue #24): one payer and period, read from the marts.

`load()` reads marts.payer_scorecard (the figures), marts.payer_scorecard_codes (fee % of
Medicare by code), and the payer's rows of marts.denials and marts.mppr_underpayments in the
period (the details); `figures()` turns the row into labelled figures with their definition,
in the words the page, the PDF and the XLSX all use. Every figure is computed in dbt; this
module only formats. A figure the data cannot give (no Medicare fee, no payer report) reads
as the status sentence of the mart, never as a blank or a zero.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from painrcm import columns
from painrcm.warehouse import connect_read_only

DENIAL_COLUMNS = (
    "claim_id, line_number, service_date, procedure_code, group_code, carc, rarcs, "
    "denial_category, denial_class, denied_amount, recovered_amount, denial_date, "
    "appeal_deadline, status"
)
UNDERPAID_COLUMNS = (
    "claim_id, line_number, service_date, procedure_code, modifiers, units, rank_on_claim, "
    "expected_allowed, paid_allowed, variance, variance_reason, remit_date, dispute_by"
)
CODE_COLUMNS = (
    "procedure_code, modifier, setting, procedure_family, units, allowed_amount, "
    "medicare_allowed, pct_of_medicare, revenue, revenue_at_medicare_plus_10pts, "
    "medicare_fee_status"
)
_BAND = re.compile(r"days_to_pay_(?:(\d+)_(\d+)|over_(\d+))")


def days_to_pay_bands() -> tuple[tuple[str, str], ...]:
    """(chart label, column) of each days-to-pay band of marts.payer_scorecard, in the
    YAML's order; the label is read from the name ('0-15', ..., 'over 90'), which the mart
    takes from macro days_to_pay_bands (macros/scorecard/), so the bands live there only."""
    bands = []
    for name in columns.catalog()["payer_scorecard"]:
        match = _BAND.fullmatch(name)
        if match:
            first, last, over = match.groups()
            bands.append((f"over {over}" if over else f"{first}-{last}", name))
    return tuple(bands)


DAYS_BUCKETS = days_to_pay_bands()


class ScorecardError(ValueError):
    """A scorecard request that cannot be served (unknown payer or period, bad file type)."""


@dataclass(frozen=True)
class Figure:
    label: str
    text: str  # as shown on the page and in the PDF
    value: object  # for the XLSX cell: a number, or the status sentence when there is none
    unit: str  # money, pct, days, count, text
    definition: str


@dataclass(frozen=True)
class Scorecard:
    row: dict[str, object]
    codes: pl.DataFrame
    denials: pl.DataFrame
    underpaid: pl.DataFrame

    @property
    def payer(self) -> str:
        return f"{self.row['payer_name']} ({self.row['payer_id']})"

    @property
    def as_of(self) -> dt.date:
        return self.row["as_of_date"]

    def denial_trend(self) -> pl.DataFrame:
        """Denied dollars and lines by month of the denial date, every month of the period."""
        start, end = self.row["period_start"], self.row["period_end"]
        months, month = [], dt.date(start.year, start.month, 1)
        while month <= end:
            months.append(month)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        spine = pl.DataFrame({"month": months}, schema={"month": pl.Date})
        if self.denials.is_empty():
            by_month = pl.DataFrame(
                schema={"month": pl.Date, "denials": pl.UInt32, "denied_amount": pl.Float64}
            )
        else:
            by_month = (
                self.denials.with_columns(pl.col("denial_date").dt.truncate("1mo").alias("month"))
                .group_by("month")
                .agg(
                    pl.len().alias("denials"),
                    pl.col("denied_amount").cast(pl.Float64).sum().alias("denied_amount"),
                )
            )
        return spine.join(by_month, on="month", how="left").fill_null(0).sort("month")

    def days_to_pay(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "days": [label for label, _ in DAYS_BUCKETS],
                "claims": [int(self.row[col]) for _, col in DAYS_BUCKETS],
            }
        )


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def periods(warehouse: Path, payer_id: str | None = None) -> list[str]:
    """The scorecard's periods, 12m first, then the years newest first."""
    con = connect_read_only(warehouse)
    try:
        _check_built(con)
        got = con.execute(
            "select distinct period, period_order from marts.payer_scorecard "
            "where ? is null or payer_id = ? order by period_order, period desc",
            [payer_id, payer_id],
        ).fetchall()
    finally:
        con.close()
    return [p for p, _ in got]


def payers(warehouse: Path) -> list[tuple[str, str]]:
    """(payer_id, payer_name) of every payer on the scorecard, the busiest (claim lines in
    the 12 months to as-of) first; Original Medicare, the yardstick, after the others."""
    con = connect_read_only(warehouse)
    try:
        _check_built(con)
        return con.execute(
            "select payer_id, payer_name from marts.payer_scorecard "
            "group by payer_id, payer_name "
            "order by max(case when payer_type = 'medicare_ffs' then 1 else 0 end), "
            "max(case when period = '12m' then claim_lines end) desc, payer_id"
        ).fetchall()
    finally:
        con.close()


def _check_built(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'payer_scorecard'"
    ).fetchall()[0][0]
    if not found:
        raise ScorecardError(
            "marts.payer_scorecard does not exist in this warehouse: run `painrcm build`"
        )


def load(warehouse: Path, payer_id: str, period: str = "12m") -> Scorecard:
    con = connect_read_only(warehouse)
    try:
        _check_built(con)
        row = _frame(
            con,
            "select * from marts.payer_scorecard where payer_id = ? and period = ?",
            [payer_id, period],
        )
        if row.is_empty():
            known = [
                p
                for (p,) in con.execute(
                    "select distinct payer_id from marts.payer_scorecard order by 1"
                ).fetchall()
            ]
            if payer_id not in known:
                raise ScorecardError(
                    f"unknown payer '{payer_id}': choose one of {', '.join(known)}"
                )
            choices = [
                p
                for (p,) in con.execute(
                    "select period from marts.payer_scorecard where payer_id = ? "
                    "order by period_order, period desc",
                    [payer_id],
                ).fetchall()
            ]
            raise ScorecardError(
                f"no period '{period}' on the scorecard: choose one of {', '.join(choices)}"
            )
        first = row.row(0, named=True)
        window = [payer_id, first["period_start"], first["period_end"]]
        codes = _frame(
            con,
            f"select {CODE_COLUMNS} from marts.payer_scorecard_codes "
            "where payer_id = ? and period = ? "
            "order by revenue desc, procedure_code, modifier, setting",
            [payer_id, period],
        )
        denials = _frame(
            con,
            f"select {DENIAL_COLUMNS} from marts.denials where payer_id = ? "
            "and denial_date between ? and ? order by denial_date, claim_id, line_number, carc",
            window,
        )
        underpaid = _frame(
            con,
            f"select {UNDERPAID_COLUMNS} from marts.mppr_underpayments where payer_id = ? "
            "and remit_date between ? and ? order by remit_date, claim_id, line_number",
            window,
        )
    finally:
        con.close()
    return Scorecard(first, codes, denials, underpaid)


# --- formatting: the same words on the page, in the PDF and in the XLSX ----------------------


def money(value: object) -> str:
    amount = Decimal(str(value or 0))
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def pct(value: object) -> str:
    return f"{Decimal(str(value)):,.2f}%"


def count(value: object, noun: str) -> str:
    n = int(value or 0)
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def figures(row: dict[str, object]) -> list[Figure]:
    """The scorecard's figures, in reading order, each with its definition (the footnotes)."""
    r = row
    out: list[Figure] = []

    def add(label: str, text: str, value: object, unit: str, definition: str) -> None:
        out.append(Figure(label, text, value, unit, definition))

    add(
        "Claim lines",
        f"{count(r['claim_lines'], 'line')} on {count(r['claims'], 'claim')}",
        r["claim_lines"],
        "count",
        "Claim lines (newest version) with a service date in the period.",
    )
    add("Charges", money(r["charges"]), r["charges"], "money", "Billed charges of those lines.")
    add(
        "Allowed",
        money(r["allowed"]),
        r["allowed"],
        "money",
        "What the payer allowed on those lines: 835 AMT*B6, else paid + patient cost sharing "
        "+ CO-253 (primary remits to the as-of date, reversals netted).",
    )
    add("Paid", money(r["paid"]), r["paid"], "money", "What the payer paid on those lines.")
    fee_ok = r["pct_of_medicare"] is not None
    status = str(r["medicare_fee_status"])
    add(
        "Fee % of Medicare",
        pct(r["pct_of_medicare"]) + ("" if status == "complete" else f" ({status})")
        if fee_ok
        else status,
        r["pct_of_medicare"] if fee_ok else status,
        "pct" if fee_ok else "text",
        "Volume-weighted: the period's units x the payer's fee in force on the as-of date, "
        "over the same units x Medicare's fee for the same code, modifier and setting "
        "(codes without a Medicare fee left out and named).",
    )
    add(
        "Revenue at +10 points of Medicare",
        money(r["revenue_plus_10_points"]) if fee_ok else status,
        r["revenue_plus_10_points"] if fee_ok else status,
        "money" if fee_ok else "text",
        "The same units at the payer's fee + 10% of Medicare's (fee_schedule_comparison's "
        "revenue_at_medicare_plus_10pts, summed).",
    )
    add(
        "Worth of +10 points",
        money(r["gain_of_10_points"]) if fee_ok else status,
        r["gain_of_10_points"] if fee_ok else status,
        "money" if fee_ok else "text",
        "What 10 more points of Medicare would add: units x 10% of Medicare's fee.",
    )
    add(
        "First-pass denial rate",
        f"{pct(r['first_pass_denial_rate'])} of {count(r['claims_first_remitted'], 'claim')}",
        r["first_pass_denial_rate"],
        "pct",
        "Claims whose first remit (in the period) denied a line, over all claims first "
        "remitted in the period.",
    )
    top = [
        f"{r[f'top_denial_category_{n}']} {money(r[f'top_denial_amount_{n}'])}"
        for n in (1, 2, 3)
        if r[f"top_denial_category_{n}"]
    ]
    add(
        "Top denial categories",
        "; ".join(top) or "no denials in the period",
        "; ".join(top) or "no denials in the period",
        "text",
        "The three denial categories (CARC groups) with the most denied dollars, by denial date.",
    )
    add(
        "Denied / recovered",
        f"{money(r['denied_amount'])} on {count(r['denials'], 'denial')}, "
        f"{pct(r['recovery_rate'])} recovered",
        r["denied_amount"],
        "money",
        "Denied amount of the period's denials; recovery rate = paid on a later remit / denied.",
    )
    has_days = r["median_days_to_pay"] is not None
    add(
        "Days to pay (median / 90th percentile)",
        f"{r['median_days_to_pay']} / {r['p90_days_to_pay']} days"
        if has_days
        else "no claims first remitted in the period",
        r["median_days_to_pay"] if has_days else "no claims first remitted in the period",
        "days" if has_days else "text",
        "Days from a claim's first submission to its first primary remit, claims first "
        "remitted in the period (90th percentile: nearest rank).",
    )
    add(
        "Underpaid vs contract (MPPR)",
        f"{money(r['underpaid_amount'])} on {count(r['underpaid_lines'], 'line')}",
        r["underpaid_amount"],
        "money",
        "Expected allowed (fee x bilateral x MPPR factors) minus what the payer allowed, "
        "lines remitted in the period short by more than the tolerance.",
    )
    add(
        "A/R over 90 days",
        f"{money(r['ar_over_90_days'])} on {count(r['ar_over_90_claims'], 'claim')} "
        f"(of {money(r['ar_open_balance'])} open)",
        r["ar_over_90_days"],
        "money",
        "Open insurance balance on the as-of date of claims submitted over 90 days ago (the "
        "12-month scorecard: all open claims; a year: the claims served that year).",
    )
    year = r["pa_report_year"]
    report = str(r["pa_report_status"])
    if r["pa_practice_pct_approved"] is None:
        approval = report
    elif r["pa_payer_pct_approved"] is None:
        approval = f"{pct(r['pa_practice_pct_approved'])} vs {report}"
    else:
        approval = (
            f"{pct(r['pa_practice_pct_approved'])} vs {pct(r['pa_payer_pct_approved'])} "
            f"({Decimal(str(r['pa_approval_gap_pts'])):+,.2f} pts)"
        )
    add(
        f"PA approval, practice vs payer report ({year})",
        approval,
        r["pa_approval_gap_pts"] if r["pa_payer_pct_approved"] is not None else approval,
        "pts" if r["pa_payer_pct_approved"] is not None else "text",
        "CMS-0057-F, standard requests of the report year: the practice's % approved (initial "
        "decision, partial counts) beside the % the payer published; the 12-month scorecard "
        "compares the last complete year.",
    )
    if r["pa_practice_avg_decision_days"] is None:
        days = report
    elif r["pa_payer_avg_decision_days"] is None:
        days = f"{r['pa_practice_avg_decision_days']} days vs {report}"
    else:
        days = (
            f"{r['pa_practice_avg_decision_days']} vs {r['pa_payer_avg_decision_days']} days "
            f"({Decimal(str(r['pa_decision_days_gap'])):+,.2f})"
        )
    add(
        f"PA decision days, practice vs payer ({year})",
        days,
        r["pa_decision_days_gap"] if r["pa_payer_avg_decision_days"] is not None else days,
        "days" if r["pa_payer_avg_decision_days"] is not None else "text",
        "Average days from request to decision, standard requests (payer hours / 24).",
    )
    within = r["pa_practice_pct_within_deadline"]
    add(
        f"PA decided within the deadline ({year})",
        pct(within) if within is not None else report,
        within if within is not None else report,
        "pct" if within is not None else "text",
        "Standard requests decided within the deadline in force for the payer type on the "
        "request date (e.g. 7 calendar days for Medicare Advantage from 2026).",
    )
    add(
        "PA requests",
        f"{count(r['pa_requests'], 'request')}, "
        f"{pct(r['pa_approval_rate'])} of {r['pa_requests_decided']:,} decided approved",
        r["pa_requests"],
        "count",
        "Prior-authorization requests made in the period; approval rate by the initial "
        "decision over decided requests.",
    )
    return out
