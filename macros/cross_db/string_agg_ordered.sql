{#-
    Aggregate: the values of expr joined by delimiter, in order_by order (NULLs skipped).
    Use in a select with group by; order_by is one column or expression.
-#}
{% macro string_agg_ordered(expr, delimiter, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'painrcm')(expr, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expr, delimiter, order_by) -%}
    string_agg({{ expr }}, '{{ delimiter }}' order by {{ order_by }})
{%- endmacro %}

{% macro duckdb__string_agg_ordered(expr, delimiter, order_by) -%}
    string_agg({{ expr }}, '{{ delimiter }}' order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expr, delimiter, order_by) -%}
    nullif(concat_ws('{{ delimiter }}', transform(
        array_sort(collect_list(named_struct('sort_key', {{ order_by }}, 'value', {{ expr }}))),
        x -> x.value
    )), '')
{%- endmacro %}
