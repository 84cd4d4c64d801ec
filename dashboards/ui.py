"""What every page shares: the as-of header, money formatting, explained empty states, the
paged detail table with its CSV/XLSX downloads, and the sidebar filter widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

import polars as pl
import streamlit as st

from dashboards import data
from dashboards.data import Filters
from painrcm import columns, export, words

PAGE_SIZE = 50


def money(value: object) -> str:
    if value is None:
        return "$0.00"
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def header(title: str, caption: str = "") -> dict[str, object] | None:
    """Title plus the as-of date and build time of the warehouse being read."""
    st.title(title)
    if caption:
        st.caption(caption)
    info = data.build_info()
    if info is None:
        st.warning("marts.build_info is empty: run `painrcm build` on this warehouse.")
        return None
    built = info["built_at"]
    built_s = built.strftime("%Y-%m-%d %H:%M") if isinstance(built, dt.datetime) else built
    st.markdown(
        f"**As of {info['as_of_date']}** · built {built_s} · engine {info['engine']}",
        help="From marts.build_info: the date time-relative rules used, and when dbt built it.",
    )
    return info


def as_of() -> dt.date:
    info = data.build_info()
    return info["as_of_date"] if info else dt.date.today()


def mart_is_empty(mart: str) -> bool:
    return data.count(mart) == 0


def explain_empty(mart: str, what: str) -> None:
    """Say why a table is empty: nothing matches the filters, or nothing in the mart at all."""
    if mart_is_empty(mart):
        st.info(
            f"marts.{mart} has no rows in this build: nothing of this kind was found in the "
            "practice's data up to the as-of date."
        )
    else:
        st.info(f"No {what} in the selected range: widen the filters in the sidebar.")


def multiselect(label: str, mart: str, column: str, key: str) -> list:
    """A sidebar filter on one column; payer and provider codes are offered with names."""
    options = data.distinct(mart, column)
    kind = NAMED_CODES.get(column, (None,))[0]
    names = data.names(kind) if kind else {}
    if names:
        return st.sidebar.multiselect(
            label,
            options,
            key=key,
            format_func=lambda code: f"{names[code]} ({code})" if code in names else str(code),
        )
    return st.sidebar.multiselect(label, options, key=key)


def date_range(
    label: str,
    mart: str,
    column: str,
    key: str,
    default: tuple[dt.date, dt.date] | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    lo, hi = data.value_range(mart, column)
    if lo is None:
        return None, None
    start, end = default or (lo, hi)
    picked = st.sidebar.date_input(label, value=(start, end), key=key)
    if isinstance(picked, Sequence) and len(picked) == 2:
        return picked[0], picked[1]
    return (picked[0], None) if isinstance(picked, Sequence) and picked else (start, end)


def compact_money(value: object) -> str:
    """A tile's money: $235.5k, $1.24M, $950 (the exact amount goes in the tile's help)."""
    amount = Decimal(str(value or 0))
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    for size, suffix in ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M")):
        if a >= size:
            return f"{sign}${a / size:,.2f}{suffix}"
    if a >= 1000:
        return f"{sign}${a / 1000:,.1f}k"
    return f"{sign}${a:,.0f}" if a == a.to_integral_value() else f"{sign}${a:,.2f}"


def money_columns(df: pl.DataFrame) -> list[str]:
    return [c for c, t in df.schema.items() if isinstance(t, pl.Decimal) and t.scale == 2]


# Keys a person never acts on: kept in the downloads, hidden on screen.
INTERNAL = frozenset(
    {
        "procedure_line_id",
        "transaction_id",
        "clp_position",
        "svc_position",
        "encounter_id",
        "invocation_id",
        "file_sha256",
        "_file_sha256",
        "priority_score",
        "rank_on_claim",
        "bilateral_factor",
        "mppr_factor_sum",
        "claim_line_number",
    }
)
# Code column -> (code_names kind, the name column shown beside it): painrcm/words.py.
NAMED_CODES = words.NAMED_CODES
NAME_HEADERS = {
    "payer_name": "Payer name",
    "provider_name": "Provider",
    "carc_description": "CARC description",
}


def _unit_config(name: str, label: str, unit: str, dtype: pl.DataType) -> object:
    """The column_config of one column by its unit (painrcm.columns: the dbt YAML meta)."""
    cc = st.column_config
    if unit == "money":
        return cc.NumberColumn(label, format="dollar")
    if unit == "percent":
        return cc.NumberColumn(label, format="%.2f%%")
    if unit == "points":
        return cc.NumberColumn(label, format="%+.2f pts")
    if unit == "days":
        whole = dtype.is_integer()
        return cc.NumberColumn(label, format="%d days" if whole else "%.1f days")
    if unit == "date":
        return cc.DateColumn(label, format="YYYY-MM-DD")
    if unit == "month":
        return cc.DateColumn(label, format="MMM YYYY")
    if unit == "count":
        return cc.NumberColumn(label, format="localized")
    if unit == "year":
        return cc.NumberColumn(label, format="%d")
    if unit == "number":
        scale = dtype.scale if isinstance(dtype, pl.Decimal) else 2
        return cc.NumberColumn(label, format=f"%.{scale}f")
    if unit == "flag":
        return cc.CheckboxColumn(label)
    if dtype == pl.Date:
        return cc.DateColumn(label, format="YYYY-MM-DD")
    if isinstance(dtype, pl.Datetime):
        return cc.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
    if name in LONG_TEXT:
        return cc.Column(label, width="large")
    return cc.Column(label)


# Sentences a person reads whole: given the room.
LONG_TEXT = frozenset(
    {"priority_reason", "recommended_action", "gap_detail", "detail", "reason", "message"}
)


def with_names(df: pl.DataFrame) -> pl.DataFrame:
    """Add the payer's, provider's and CARC's names beside payer_id / rendering_npi / npi /
    carc (painrcm/words.py, as the downloads and `painrcm export` do)."""
    return words.with_code_names(df, data.names)


def table(
    df: pl.DataFrame,
    mart: str | None = None,
    key: str | None = None,
    first: Sequence[str] = (),
    hide: Sequence[str] = (),
    units: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    height: int | None = None,
) -> None:
    """The one way a page shows rows: every column formatted by its unit and headed by its
    label (painrcm.columns, i.e. the marts' YAML meta; `units` / `labels` for derived
    frames), the columns a person acts on (`first`) first, names beside payer and provider
    codes, internal keys hidden (the downloads keep them), and tall enough to work in."""
    unit_of = {**(columns.units(mart.split(".")[-1]) if mart else {}), **(units or {})}
    df = with_names(df)
    money = [c for c in df.columns if unit_of.get(c) == "money" or c in money_columns(df)]
    money = [c for c in money if unit_of.get(c, "money") == "money"]
    shown = df.with_columns(pl.col(c).cast(pl.Float64) for c in money)
    config = {}
    for name, dtype in df.schema.items():
        label = (labels or {}).get(name) or NAME_HEADERS.get(name)
        if not label:
            label = columns.header(mart.split(".")[-1], name) if mart else columns.humanize(name)
        unit = "money" if name in money else unit_of.get(name, "text")
        config[name] = _unit_config(name, label, unit, dtype)
    order = [c for c in first if c in df.columns]
    order += [c for c in df.columns if c not in order and c not in INTERNAL and c not in hide]
    for code, (_, name_col) in NAMED_CODES.items():  # each name right after its code
        if code in order and name_col in order and order.index(name_col) != order.index(code) + 1:
            order.remove(name_col)
            order.insert(order.index(code) + 1, name_col)
    rows_height = 35 * (df.height + 1) + 3
    st.dataframe(
        shown,
        key=key,
        hide_index=True,
        width="stretch",
        column_order=order,
        column_config=config,
        height=height or min(max(rows_height, 80), 1800),
        placeholder="—",
    )


def show_frame(
    df: pl.DataFrame, key: str | None = None, height: int | None = None, mart: str | None = None
) -> None:
    """A table of a derived frame (see `table`)."""
    table(df, mart=mart, key=key, height=height)


def metric_row(items: list[tuple[str, str]]) -> None:
    for col, item in zip(st.columns(len(items)), items, strict=True):
        label, value, *rest = item
        col.metric(label, value, help=rest[0] if rest else None)


def money_tile(label: str, value: object) -> tuple[str, str, str]:
    """A metric_row item: compact money on the tile, the exact amount on hover."""
    return label, compact_money(value), f"Exact: {money(value)}"


def worklist(
    mart: str,
    filters: Filters,
    what: str,
    key: str,
    columns: list[str] | None = None,
    order: str | None = None,
    first: Sequence[str] = (),
    hide: Sequence[str] = (),
    derive: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
    labels: dict[str, str] | None = None,
    derive_exports: bool = False,
) -> pl.DataFrame | None:
    """The drill-down: a page of the rows the filters select (with their PM keys), a pager,
    and CSV/XLSX downloads of every selected row in the same order. On screen the `first`
    columns lead and internal keys are hidden; the downloads keep every column."""
    from dashboards import work

    filters = work.hide_worked(mart, filters, key)  # done and snoozed items, unless asked
    total = data.count(mart, filters)
    if total == 0:
        explain_empty(mart, what)
        return None
    pages = max(1, -(-total // PAGE_SIZE))
    cols = st.columns([3, 1])
    page = 1
    if pages > 1:
        page = int(
            cols[1].number_input(
                f"page (of {pages})", min_value=1, max_value=pages, value=1, key=f"{key}_page"
            )
        )
    offset = (page - 1) * PAGE_SIZE
    rows = data.page_rows(
        mart, filters, work.with_key_columns(mart, columns), order, PAGE_SIZE, offset
    )
    rows = work.with_work_columns(mart, rows)  # status, assignee, next follow-up, last worked
    name = mart if "." in mart else f"marts.{mart}"
    cols[0].caption(f"rows {offset + 1:,}-{offset + rows.height:,} of {total:,} · {name}")
    shown = derive(rows) if derive else rows
    table(shown, mart=mart, key=f"{key}_table", first=first, hide=hide, labels=labels)
    downloads(mart, filters, key, order, columns, derive if derive_exports else None)
    work.state_editor(mart, rows, filters)
    return rows


def download_frame(
    mart: str,
    filters: Filters,
    order: str | None = None,
    columns: list[str] | None = None,
    derive: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> pl.DataFrame:
    from painrcm.work.join import with_state_for
    from painrcm.work.keys import WORKLISTS

    if columns and mart in WORKLISTS:  # the state is joined on the key columns
        columns = [*columns, *(k for k in WORKLISTS[mart].key if k not in columns)]
    # a worklist download carries its work state (joined at read time)
    frame = with_state_for(
        data.all_rows(mart, filters, order, columns), mart, data.warehouse_path()
    )
    # names beside codes, as on screen and in `painrcm export`
    return with_names(derive(frame) if derive else frame)


def downloads(
    mart: str,
    filters: Filters,
    key: str,
    order: str | None = None,
    columns: list[str] | None = None,
    derive: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> None:
    """Download buttons; the file is built only when a button is clicked."""
    stamp = as_of().isoformat()
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        data=lambda: export.to_csv(download_frame(mart, filters, order, columns, derive)),
        file_name=f"{mart}_{stamp}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        "Download XLSX",
        data=lambda: export.to_xlsx(download_frame(mart, filters, order, columns, derive), mart),
        file_name=f"{mart}_{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


# Codes a chart legend or axis shows, as words, and the `what_to_do` column the A/R
# worklist adds beside next_action: painrcm/words.py, shared with `painrcm export`.
ACTIONS = words.ACTIONS
with_what_to_do = words.with_what_to_do


def lines(n: int) -> str:
    """'1 line', '12 lines'."""
    return f"{n:,} line" if n == 1 else f"{n:,} lines"
