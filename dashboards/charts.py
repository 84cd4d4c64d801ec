"""Chart builders: pure functions, polars DataFrame in, plotly Figure out.

DECIMAL money becomes float here and only here (a chart needs numbers, not exact cents).
Every axis says its unit (money, percent, count, days) and every code a reader sees on a
legend or an axis goes through `labels` (code -> human words) first.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from painrcm import columns

LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 340}
UNITS = ("money", "percent", "count", "days", "number")


def _floats(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    return df.with_columns(pl.col(c).cast(pl.Float64) for c in cols if c in df.columns)


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, **LAYOUT)
    fig.add_annotation(text="no data", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return fig


def human(code: object, labels: dict[str, str] | None = None) -> str:
    """A code as words: `labels` first, else underscores to spaces, first letter up
    ("first_pass_denial_rate" -> "First pass denial rate")."""
    text = str(code)
    if labels and text in labels:
        return labels[text]
    return columns.humanize(text)


def style_axis(fig: go.Figure, unit: str, axis: str = "y", top: float | None = None) -> None:
    """Format one axis by unit; counts get whole-number ticks (never 0.5 of an alert)."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    if unit == "money":
        update(tickprefix="$", tickformat=",.0f")
    elif unit == "percent":
        update(ticksuffix="%", tickformat=",.0f", rangemode="tozero")
    elif unit == "days":
        update(ticksuffix=" d", tickformat=",.2~f", rangemode="tozero")
    elif unit == "count":
        step = 1 if top is None or top <= 8 else max(1, math.ceil(top / 6))
        update(tickformat=",d", tick0=0, dtick=step, rangemode="tozero")


def bar(
    df: pl.DataFrame,
    x: str,
    y: str,
    title: str,
    color: str | None = None,
    money: bool = True,
    horizontal: bool = False,
    category_order: list[str] | None = None,
    unit: str | None = None,
    labels: dict[str, str] | None = None,
    x_title: str | None = None,
    colors: dict[str, str] | None = None,
) -> go.Figure:
    """Bars of y by x (stacked by `color` when given); `category_order` fixes the order of
    the x categories (age buckets read left to right, youngest first); `labels` names the
    codes of x and of `color`; `unit` formats the value axis (default money, or count when
    money=False)."""
    if df.is_empty():
        return _empty(title)
    unit = unit or ("money" if money else "count")
    df = _floats(df, [y])
    fig = go.Figure()
    groups = df.partition_by(color, as_dict=True) if color else {(None,): df}
    for (name,), part in sorted(groups.items(), key=lambda kv: str(kv[0])):
        xs = part.get_column(x).to_list()
        if part.schema[x] == pl.String:
            xs = [human(v, labels) for v in xs]
        elif part.schema[x] == pl.Date and not _monthly(df, x):
            xs = [v.isoformat() for v in xs]  # due dates: each bar its own labelled day
        ys = part.get_column(y).to_list()
        fig.add_bar(
            x=ys if horizontal else xs,
            y=xs if horizontal else ys,
            name=human(name, labels) if name is not None else human(y, labels),
            orientation="h" if horizontal else "v",
            marker_color=(colors or {}).get(str(name)),
        )
    fig.update_layout(title=title, barmode="stack", showlegend=color is not None, **LAYOUT)
    top = None
    if unit == "count":
        top = float(df.group_by(x).agg(pl.col(y).sum()).get_column(y).max() or 0)
    style_axis(fig, unit, "x" if horizontal else "y", top=top)
    if x_title:
        (fig.update_yaxes if horizontal else fig.update_xaxes)(title=x_title)
    if category_order:
        order = [human(c, labels) if df.schema[x] == pl.String else c for c in category_order]
        (fig.update_yaxes if horizontal else fig.update_xaxes)(
            categoryorder="array", categoryarray=order
        )
    elif not horizontal and not (df.schema[x] == pl.Date and _monthly(df, x)):
        fig.update_xaxes(type="category")
    if df.schema[x] == pl.Date and _monthly(df, x):
        fig.update_xaxes(tickformat="%b %Y")
    return fig


def _monthly(df: pl.DataFrame, x: str) -> bool:
    days = df.get_column(x).drop_nulls().dt.day().unique().to_list()
    return days == [1]


def lines(
    df: pl.DataFrame,
    x: str,
    ys: list[str],
    title: str,
    money: bool = False,
    unit: str | None = None,
    labels: dict[str, str] | None = None,
    partial: object | None = None,
) -> go.Figure:
    """One line per column of `ys` over x (a calendar spine: no holes). `partial` marks one
    x value (the as-of month) as not final: shaded and labelled "partial"."""
    if df.is_empty():
        return _empty(title)
    unit = unit or ("money" if money else "number")
    df = _floats(df, ys)
    fig = go.Figure()
    for y in ys:
        fig.add_scatter(
            x=df.get_column(x).to_list(),
            y=df.get_column(y).to_list(),
            name=human(y, labels),
            mode="lines+markers",
        )
    fig.update_layout(title=title, **LAYOUT)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    style_axis(fig, unit, "y")
    if df.schema[x] == pl.Date and _monthly(df, x):
        fig.update_xaxes(tickformat="%b %Y", dtick="M1")
    if partial is not None:
        mark_partial(fig, partial)
    return fig


def mark_partial(fig: go.Figure, month: object) -> None:
    """Shade the as-of month (its figures are not final) and say so on the chart."""
    import datetime as dt

    if isinstance(month, dt.date):
        start = dt.datetime(month.year, month.month, 1) - dt.timedelta(days=14)
        end = dt.datetime(month.year, month.month, 1) + dt.timedelta(days=15)
        fig.add_vrect(
            x0=start,
            x1=end,
            fillcolor="#999999",
            opacity=0.15,
            line_width=0,
            annotation_text="partial",
            annotation_position="top left",
        )


def heatmap(
    df: pl.DataFrame,
    x: str,
    y: str,
    z: str,
    title: str,
    x_labels: dict[str, str] | None = None,
    y_labels: dict[str, str] | None = None,
) -> go.Figure:
    """A matrix of z summed over x and y (e.g. denied dollars by CARC and payer). Both axes
    are categorical: codes are labels, not numbers on a scale."""
    if df.is_empty():
        return _empty(title)
    df = _floats(df, [z]).with_columns(pl.col(x).cast(pl.String), pl.col(y).cast(pl.String))
    wide = df.pivot(on=x, index=y, values=z, aggregate_function="sum").fill_null(0.0)
    ys = sorted(wide.get_column(y).to_list(), key=_code_order)
    wide = wide.with_columns(pl.col(y).replace_strict(ys, list(range(len(ys)))).alias("_o"))
    wide = wide.sort("_o").drop("_o")
    xs = sorted(c for c in wide.columns if c != y)
    fig = go.Figure(
        go.Heatmap(
            z=wide.select(xs).to_numpy().tolist(),
            x=[human(v, x_labels) if x_labels else v for v in xs],
            y=[_code_label(v, y_labels) for v in ys],
            colorscale="Reds",
            hovertemplate="%{x}<br>%{y}<br>$%{z:,.2f}<extra></extra>",
            colorbar={"tickprefix": "$", "tickformat": ",.0f"},
        )
    )
    fig.update_layout(title=title, **{**LAYOUT, "height": max(340, 60 + 28 * len(ys))})
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category", autorange="reversed")
    return fig


def _code_order(code: str) -> tuple[int, int, str]:
    """CARCs in their numeric order (4, 16, 197), letter codes (B7) after."""
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


def _code_label(code: str, labels: dict[str, str] | None) -> str:
    """ "197 · Precertification absent" (a code beside its short description)."""
    name = (labels or {}).get(code)
    if not name:
        return code
    short = name if len(name) <= 38 else name[:37].rstrip() + "…"
    return f"{code} · {short}"


def grouped_bars(
    df: pl.DataFrame,
    x: str,
    ys: list[str],
    title: str,
    unit: str | None = None,
    labels: dict[str, str] | None = None,
    x_labels: dict[str, str] | None = None,
) -> go.Figure:
    """Side-by-side bars (practice vs payer, actual vs deadline): one bar per row and y, so
    the frame must hold one row per x (never stacked)."""
    if df.is_empty():
        return _empty(title)
    df = _floats(df, ys)
    fig = go.Figure()
    for y in ys:
        fig.add_bar(
            x=[human(v, x_labels) if x_labels else str(v) for v in df.get_column(x).to_list()],
            y=df.get_column(y).to_list(),
            name=human(y, labels),
        )
    fig.update_layout(title=title, barmode="group", **LAYOUT)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(type="category")
    if unit:
        style_axis(fig, unit, "y")
        if unit == "percent":
            fig.update_yaxes(range=[0, 100])
    return fig
