"""Chart builders: pure functions, polars DataFrame in, plotly Figure out.

DECIMAL money becomes float here and only here (a chart needs numbers, not exact cents).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

MONEY_HOVER = "$%{y:,.2f}"
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 340}


def _floats(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    return df.with_columns(pl.col(c).cast(pl.Float64) for c in cols if c in df.columns)


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, **LAYOUT)
    fig.add_annotation(text="no data", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return fig


def bar(
    df: pl.DataFrame,
    x: str,
    y: str,
    title: str,
    color: str | None = None,
    money: bool = True,
    horizontal: bool = False,
    category_order: list[str] | None = None,
) -> go.Figure:
    """Bars of y by x (stacked by `color` when given); `category_order` fixes the order of
    the x categories (age buckets read left to right, youngest first)."""
    if df.is_empty():
        return _empty(title)
    df = _floats(df, [y])
    fig = go.Figure()
    groups = df.partition_by(color, as_dict=True) if color else {(None,): df}
    for (name,), part in sorted(groups.items(), key=lambda kv: str(kv[0])):
        xs, ys = part.get_column(x).to_list(), part.get_column(y).to_list()
        fig.add_bar(
            x=ys if horizontal else xs,
            y=xs if horizontal else ys,
            name=str(name) if name is not None else y,
            orientation="h" if horizontal else "v",
        )
    fig.update_layout(title=title, barmode="stack", showlegend=color is not None, **LAYOUT)
    if money:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tickprefix="$", tickformat=",.0f")
    if category_order:
        (fig.update_yaxes if horizontal else fig.update_xaxes)(
            categoryorder="array", categoryarray=category_order
        )
    return fig


def lines(df: pl.DataFrame, x: str, ys: list[str], title: str, money: bool = False) -> go.Figure:
    """One line per column of `ys` over x (a calendar spine: no holes)."""
    if df.is_empty():
        return _empty(title)
    df = _floats(df, ys)
    fig = go.Figure()
    for y in ys:
        fig.add_scatter(
            x=df.get_column(x).to_list(), y=df.get_column(y).to_list(), name=y, mode="lines+markers"
        )
    fig.update_layout(title=title, **LAYOUT)
    if money:
        fig.update_yaxes(tickprefix="$", tickformat=",.0f")
    return fig


def heatmap(df: pl.DataFrame, x: str, y: str, z: str, title: str) -> go.Figure:
    """A matrix of z summed over x and y (e.g. denied dollars by CARC and payer)."""
    if df.is_empty():
        return _empty(title)
    df = _floats(df, [z])
    wide = df.pivot(on=x, index=y, values=z, aggregate_function="sum").fill_null(0.0)
    xs = [c for c in wide.columns if c != y]
    fig = go.Figure(
        go.Heatmap(
            z=wide.select(xs).to_numpy().tolist(),
            x=xs,
            y=[str(v) for v in wide.get_column(y).to_list()],
            colorscale="Reds",
            hovertemplate=f"{x} %{{x}}<br>{y} %{{y}}<br>$%{{z:,.2f}}<extra></extra>",
        )
    )
    fig.update_layout(title=title, **LAYOUT)
    return fig


def grouped_bars(df: pl.DataFrame, x: str, ys: list[str], title: str) -> go.Figure:
    """Side-by-side bars (practice vs payer, actual vs deadline)."""
    if df.is_empty():
        return _empty(title)
    df = _floats(df, ys)
    fig = go.Figure()
    for y in ys:
        fig.add_bar(
            x=[str(v) for v in df.get_column(x).to_list()], y=df.get_column(y).to_list(), name=y
        )
    fig.update_layout(title=title, barmode="group", **LAYOUT)
    return fig
