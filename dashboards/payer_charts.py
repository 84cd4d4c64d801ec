"""The Payers page's small charts: pure functions, a scorecard frame in, a plotly Figure out
(kept beside charts.py so the page stays self-contained). Money and rates become floats
here, at the chart's edge."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 280}
TOP_CODES = 10


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, **LAYOUT)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return fig


def fee_by_code(codes: pl.DataFrame, status: str) -> go.Figure:
    """Fee % of Medicare of the top codes by revenue (code and family on the axis)."""
    title = "Fee % of Medicare, top codes by revenue"
    top = codes.filter(pl.col("pct_of_medicare").is_not_null()).head(TOP_CODES)
    if top.is_empty():
        return _empty(title, status)
    labels = [
        f"{code}{'-' + mod if mod else ''} {family or ''}".strip()
        for code, mod, family in top.select("procedure_code", "modifier", "procedure_family").rows()
    ]
    fig = go.Figure(
        go.Bar(
            x=top["pct_of_medicare"].cast(pl.Float64).to_list(),
            y=labels,
            orientation="h",
            hovertemplate="%{y}: %{x:.2f}% of Medicare<extra></extra>",
        )
    )
    fig.add_vline(x=100, line_dash="dot", annotation_text="Medicare")
    fig.update_layout(title=title, **LAYOUT)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(ticksuffix="%")
    return fig


def denial_trend(trend: pl.DataFrame) -> go.Figure:
    """Denied dollars by month of the denial date."""
    title = "Denied dollars by month"
    if trend.is_empty() or trend["denials"].sum() == 0:
        return _empty(title, "no denials in the period")
    fig = go.Figure(
        go.Bar(
            x=trend["month"].to_list(),
            y=trend["denied_amount"].cast(pl.Float64).to_list(),
            customdata=trend["denials"].to_list(),
            hovertemplate="%{x|%b %Y}: $%{y:,.2f} on %{customdata} denials<extra></extra>",
        )
    )
    fig.update_layout(title=title, **LAYOUT)
    fig.update_yaxes(tickprefix="$", tickformat=",.0f")
    return fig


def days_to_pay(days: pl.DataFrame) -> go.Figure:
    """Claims by days from first submission to first remit."""
    title = "Days from submission to first remit"
    if days["claims"].sum() == 0:
        return _empty(title, "no claims first remitted in the period")
    fig = go.Figure(
        go.Bar(
            x=days["days"].to_list(),
            y=days["claims"].to_list(),
            hovertemplate="%{x} days: %{y} claims<extra></extra>",
        )
    )
    fig.update_layout(title=title, **LAYOUT)
    fig.update_xaxes(type="category", title="days")
    fig.update_yaxes(title="claims")
    return fig
