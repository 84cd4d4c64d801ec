{#-
    The payer scorecard's days-to-pay distribution (issue #24): its bands, in one place. Each
    band (first day, last day; last none = open-ended) is a count column of payer_scorecard
    named by days_to_pay_band_column (days_to_pay_0_15, ..., days_to_pay_over_90); the
    mart's YAML lists those columns (dbt enforces the contract, so a band edited here without
    its YAML column fails the build) and the scorecard's chart labels are read from the names
    (painrcm/scorecard.py). A display choice, not a rule: 15-day steps to 60, then 61-90 and
    over 90 (the scorecard's A/R over-90 line). For reading them: Medicare pays a clean HIPAA
    electronic claim on the 14th day at the earliest and owes interest past 30 days (payment
    floor and ceiling, Medicare Claims Processing Manual ch. 1 §80.2), so 0-15 is as fast as
    Medicare pays and 16-30 still within its ceiling.
-#}
{% macro days_to_pay_bands() -%}
    {{ return([
        {'first': 0, 'last': 15},
        {'first': 16, 'last': 30},
        {'first': 31, 'last': 45},
        {'first': 46, 'last': 60},
        {'first': 61, 'last': 90},
        {'first': 91, 'last': none},
    ]) }}
{%- endmacro %}

{#- The band's column: days_to_pay_<first>_<last>, or days_to_pay_over_<first - 1> when open. -#}
{% macro days_to_pay_band_column(band) -%}
    {%- if band['last'] is none -%}
        days_to_pay_over_{{ band['first'] - 1 }}
    {%- else -%}
        days_to_pay_{{ band['first'] }}_{{ band['last'] }}
    {%- endif -%}
{%- endmacro %}

{#- days is in the band (the first band takes everything up to its last day). -#}
{% macro days_to_pay_band_test(days, band) -%}
    {%- if band['last'] is none -%}
        {{ days }} >= {{ band['first'] }}
    {%- elif band['first'] == 0 -%}
        {{ days }} <= {{ band['last'] }}
    {%- else -%}
        {{ days }} between {{ band['first'] }} and {{ band['last'] }}
    {%- endif -%}
{%- endmacro %}
