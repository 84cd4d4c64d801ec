{#-
    True when every element of needles is in haystack (both lists; NULL needles -> NULL).
    Used by pa_coverage_gaps: the line's spinal levels must all be on the authorization.
-#}
{% macro list_has_all(haystack, needles) -%}
    {{ return(adapter.dispatch('list_has_all', 'painrcm')(haystack, needles)) }}
{%- endmacro %}

{% macro default__list_has_all(haystack, needles) -%}
    ({{ needles }} <@ {{ haystack }})
{%- endmacro %}

{% macro duckdb__list_has_all(haystack, needles) -%}
    list_has_all({{ haystack }}, {{ needles }})
{%- endmacro %}

{% macro spark__list_has_all(haystack, needles) -%}
    (size(array_except({{ needles }}, {{ haystack }})) = 0)
{%- endmacro %}
