{#-
    numerator / denominator x 100, rounded half away from zero to `digits` decimals EXACTLY,
    as a DECIMAL; NULL when the denominator is 0 or NULL.

    Source: the marts contract (OUTPUTS.md: "Rates are on a 0-100 scale rounded to 2
    decimals"); the project rounds half up (away from zero) on exact decimals everywhere (the
    generator's ground truth uses Python's Decimal ROUND_HALF_UP). round(100.0 * n / m, 2) is
    not exact in DuckDB: decimal / decimal is a DOUBLE there, so an exact half that binary
    cannot hold is misrounded (round(100.0 * 199 / 4000, 2) = 4.97, not 4.98).

    Operands are counts or DECIMAL amounts with at most 6 decimals (a DOUBLE operand is
    taken to 6 decimals). `digits` is a constant.
-#}
{% macro pct(numerator, denominator, digits=2) -%}
    {{ return(exact_ratio(numerator, denominator, digits, 100)) }}
{%- endmacro %}

{#-
    numerator x times / denominator, rounded the same way (pct is times = 100; days in A/R is
    open balance x 90 / the trailing 90 days' charges). `times` is a positive whole constant
    below 1000.
-#}
{% macro exact_ratio(numerator, denominator, digits=2, times=100) -%}
    {{ return(adapter.dispatch('exact_ratio', 'painrcm')(numerator, denominator, digits, times)) }}
{%- endmacro %}

{#- 10^-digits as a decimal literal: 0.01 for digits=2. -#}
{% macro pct_unit(digits) -%}
    {%- if digits == 0 -%}1{%- else -%}0.{{ '0' * (digits - 1) }}1{%- endif -%}
{%- endmacro %}

{#- Exact where the adapter's decimal division is (e.g. Postgres numeric, round half away from zero). -#}
{% macro default__exact_ratio(numerator, denominator, digits, times) -%}
    round({{ times }} * cast({{ numerator }} as decimal(38, 6)) / nullif({{ denominator }}, 0), {{ digits }})
{%- endmacro %}

{#-
    DuckDB: exact integer arithmetic. Both operands times 10^6 are whole numbers (HUGEINT,
    38 digits); with a = that numerator and b = that denominator, the rounded result in
    units of 10^-digits is q = (2|a| times 10^digits + |b|) // (2|b|) (floor of |x| + 1/2, x the
    exact result scaled), sign restored; // on positive HUGEINTs is exact integer division.
-#}
{% macro duckdb__exact_ratio(numerator, denominator, digits, times) -%}
    {%- set a -%}cast(cast({{ numerator }} as decimal(38, 6)) * 1000000 as hugeint){%- endset -%}
    {%- set b -%}nullif(cast(cast({{ denominator }} as decimal(38, 6)) * 1000000 as hugeint), 0){%- endset -%}
    (
        sign({{ a }}) * sign({{ b }})
        * ((2 * abs({{ a }}) * {{ times * 10 ** digits }} + abs({{ b }})) // (2 * abs({{ b }})))
        * {{ pct_unit(digits) }}
    )
{%- endmacro %}

{#-
    Spark: the same integer arithmetic on DECIMAL(38, 0) (exact), `div` being Spark's exact
    integral division (its result a BIGINT: the rounded figure in units of 10^-digits; the
    sign by comparison, as Spark's sign() is a DOUBLE).
-#}
{% macro spark__exact_ratio(numerator, denominator, digits, times) -%}
    {%- set a -%}cast(cast({{ numerator }} as decimal(38, 6)) * 1000000 as decimal(38, 0)){%- endset -%}
    {%- set b -%}nullif(cast(cast({{ denominator }} as decimal(38, 6)) * 1000000 as decimal(38, 0)), 0){%- endset -%}
    (
        cast(
            case when ({{ a }} < 0) != ({{ b }} < 0) then -1 else 1 end
            * ((2 * abs({{ a }}) * {{ times * 10 ** digits }} + abs({{ b }})) div (2 * abs({{ b }})))
            as decimal(38, 0)
        )
        * {{ pct_unit(digits) }}
    )
{%- endmacro %}
