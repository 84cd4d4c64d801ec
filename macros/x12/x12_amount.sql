{#-
    An X12 amount element (R type, e.g. `125`, `-40.5`) as decimal(18,2); NULL when not
    numeric. Negative amounts (reversals, CLP02 22) are kept as sent.
-#}
{% macro x12_amount(expr) -%}
    cast({{ try_cast_as(expr, 'decimal(18, 4)') }} as decimal(18, 2))
{%- endmacro %}
