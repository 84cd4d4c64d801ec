"""What every page shares: the as-of header, money formatting, explained empty states, the
paged detail table with its CSV/XLSX downloads, and the sidebar filter widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import polars as pl
import streamlit as st

from dashboards import data
from dashboards.data import Filters
from painrcm import export

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
            f"marts.{mart} has no rows in this build. Either nothing was found, or this mart is "
            "filled by a later release (its dbt description starts with PLACEHOLDER)."
        )
    else:
        st.info(f"No {what} in the selected range: widen the filters in the sidebar.")


def multiselect(label: str, mart: str, column: str, key: str) -> list:
    options = data.distinct(mart, column)
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


def money_columns(df: pl.DataFrame) -> list[str]:
    return [c for c, t in df.schema.items() if isinstance(t, pl.Decimal) and t.scale == 2]


def show_frame(df: pl.DataFrame, key: str | None = None, height: int | None = None) -> None:
    """A table with money shown as money (exact Decimal formatted, not rounded floats)."""
    money_cols = money_columns(df)
    shown = df.with_columns(
        pl.col(c).map_elements(money, return_dtype=pl.String) for c in money_cols
    )
    dates = {
        c: st.column_config.DateColumn(c, format="YYYY-MM-DD")
        for c, t in df.schema.items()
        if t == pl.Date
    }
    kwargs = {"hide_index": True, "width": "stretch", "column_config": dates}
    if height:
        kwargs["height"] = height
    st.dataframe(shown, key=key, **kwargs)


def metric_row(items: list[tuple[str, str]]) -> None:
    for col, (label, value) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value)


def worklist(
    mart: str,
    filters: Filters,
    what: str,
    key: str,
    columns: list[str] | None = None,
    order: str | None = None,
) -> pl.DataFrame | None:
    """The drill-down: a page of the rows the filters select (with their PM keys), a pager,
    and CSV/XLSX downloads of every selected row in the same order."""
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
    table = mart if "." in mart else f"marts.{mart}"
    cols[0].caption(f"rows {offset + 1:,}-{offset + rows.height:,} of {total:,} · {table}")
    show_frame(rows, key=f"{key}_table")
    downloads(mart, filters, key, order, columns)
    work.state_editor(mart, rows)
    return rows


def download_frame(
    mart: str, filters: Filters, order: str | None = None, columns: list[str] | None = None
) -> pl.DataFrame:
    from painrcm.work.join import with_state_for
    from painrcm.work.keys import WORKLISTS

    if columns and mart in WORKLISTS:  # the state is joined on the key columns
        columns = [*columns, *(k for k in WORKLISTS[mart].key if k not in columns)]
    # a worklist download carries its work state (joined at read time)
    return with_state_for(data.all_rows(mart, filters, order, columns), mart, data.warehouse_path())


def downloads(
    mart: str,
    filters: Filters,
    key: str,
    order: str | None = None,
    columns: list[str] | None = None,
) -> None:
    """Download buttons; the file is built only when a button is clicked."""
    stamp = as_of().isoformat()
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        data=lambda: export.to_csv(download_frame(mart, filters, order, columns)),
        file_name=f"{mart}_{stamp}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        "Download XLSX",
        data=lambda: export.to_xlsx(download_frame(mart, filters, order, columns), mart),
        file_name=f"{mart}_{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )
