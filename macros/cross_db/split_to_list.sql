{#-
    Split text into a list.
    split_to_list(expr, delimiter): on a literal delimiter string.
    split_words(expr): on runs of whitespace after trimming (the INPUTS.md list cells);
    NULL or blank text gives NULL, never a list with one empty string.
-#}
{% macro split_to_list(expr, delimiter) -%}
    {{ return(adapter.dispatch('split_to_list', 'painrcm')(expr, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_list(expr, delimiter) -%}
    string_to_array({{ expr }}, '{{ delimiter }}')
{%- endmacro %}

{% macro duckdb__split_to_list(expr, delimiter) -%}
    string_split({{ expr }}, '{{ delimiter }}')
{%- endmacro %}

{% macro spark__split_to_list(expr, delimiter) -%}
    split({{ expr }}, '{{ modules.re.escape(delimiter) | replace("\\", "\\\\") }}')
{%- endmacro %}


{% macro split_words(expr) -%}
    {{ return(adapter.dispatch('split_words', 'painrcm')(expr)) }}
{%- endmacro %}

{% macro default__split_words(expr) -%}
    case when nullif(trim({{ expr }}), '') is not null then regexp_split_to_array(trim({{ expr }}), '\s+') end
{%- endmacro %}

{% macro duckdb__split_words(expr) -%}
    case when nullif(trim({{ expr }}), '') is not null then string_split_regex(trim({{ expr }}), '\s+') end
{%- endmacro %}

{% macro spark__split_words(expr) -%}
    case when nullif(trim({{ expr }}), '') is not null then split(trim({{ expr }}), '\\s+') end
{%- endmacro %}
