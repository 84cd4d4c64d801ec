{#-
    Text flag -> boolean: true/t/yes/y/1 and false/f/no/n/0 in any case; anything else NULL.
    Portable SQL (no dispatch needed).
-#}
{% macro parse_bool(expr) -%}
    case
        when lower(trim({{ expr }})) in ('true', 't', 'yes', 'y', '1') then true
        when lower(trim({{ expr }})) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- endmacro %}
