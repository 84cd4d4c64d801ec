{#-
    numerator / denominator x 100, rounded half away from zero to `digits` decimals EXACTLY,
    as a DECIMAL; NULL when the denominator is 0 or NULL.

    Source: /work/shared/contract/OUTPUTS.md "Rates are on a 0-100 scale rounded to 2
    decimals"; the project rounds half up (away from zero) on exact decimals everywhere (the
    generator's ground truth uses Python's Decimal ROUND_HALF_UP). round(100.0 * n / m, 2) is
    not exact in DuckDB: decimal / decimal is a DOUBLE there, so an exact half that binary
    cannot hold is misrounded (round(100.0 * 199 / 4000, 2) = 4.97, not 4.98).

    Operands are counts or DECIMAL amounts with at most 6 decimals (a DOUBLE operand is
    taken to 6 decimals). `digits` is a constant.
-#}
{% macro pct(numerator, denominator, digits=2) -%}
    {{ return(adapter.dispatch('pct', 'painrcm')(numerator, denominator, digits)) }}
{%- endmacro %}

{#- 10^-digits as a decimal literal: 0.01 for digits=2. -#}
{% macro pct_unit(digits) -%}
    {%- if digits == 0 -%}1{%- else -%}0.{{ '0' * (digits - 1) }}1{%- endif -%}
{%- endmacro %}

{#- Exact where the adapter's decimal division is (e.g. Postgres numeric, round half away from zero). -#}
{% macro default__pct(numerator, denominator, digits=2) -%}
    round(100 * cast({{ numerator }} as decimal(38, 6)) / nullif({{ denominator }}, 0), {{ digits }})
{%- endmacro %}

{#-
    DuckDB: exact integer arithmetic. Both operands times 10^6 are whole numbers (HUGEINT,
    38 digits); with a = that numerator and b = that denominator, the rounded percentage in
    units of 10^-digits is q = (2|a| 10^(2+digits) + |b|) // (2|b|) (floor of |x| + 1/2, x the
    exact percentage scaled), sign restored; // on positive HUGEINTs is exact integer division.
-#}
{% macro duckdb__pct(numerator, denominator, digits=2) -%}
    {%- set a -%}cast(cast({{ numerator }} as decimal(38, 6)) * 1000000 as hugeint){%- endset -%}
    {%- set b -%}nullif(cast(cast({{ denominator }} as decimal(38, 6)) * 1000000 as hugeint), 0){%- endset -%}
    (
        sign({{ a }}) * sign({{ b }})
        * ((2 * abs({{ a }}) * {{ 10 ** (2 + digits) }} + abs({{ b }})) // (2 * abs({{ b }})))
        * {{ pct_unit(digits) }}
    )
{%- endmacro %}

{#-
    Spark: exact decimal arithmetic, and round() on a DECIMAL is HALF_UP (away from zero).
    decimal(24, 4) / decimal(20, 4) keeps 14 decimals of the quotient (Spark's precision-loss
    rule), rounded HALF_UP, before round(..., digits): that can double-round only when the
    exact percentage lies within 5e-15 of a half without being one, i.e. for a denominator
    above about 2 x 10^7 (in its own units: claims, or dollars). Operands here have at most
    4 decimals and fewer than 16 integer digits.
-#}
{% macro spark__pct(numerator, denominator, digits=2) -%}
    round(
        cast({{ numerator }} as decimal(20, 4)) * cast(100 as decimal(3, 0))
        / cast(nullif({{ denominator }}, 0) as decimal(20, 4)),
        {{ digits }}
    )
{%- endmacro %}
