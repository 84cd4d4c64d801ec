{#-
    A space-separated code list (modifiers, diagnosis and procedure codes) as one canonical
    string: trimmed, upper case, single spaces. NULL (or blank) stays NULL.
-#}
{% macro normalise_code_list(expr) -%}
    nullif({{ regexp_replace_all("upper(trim(" ~ expr ~ "))", '\\s+', ' ') }}, '')
{%- endmacro %}
