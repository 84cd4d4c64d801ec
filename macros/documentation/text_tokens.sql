{#-
    Note similarity helpers (rules.md §15), the only dialect-specific pieces of the shingle
    pipeline; everything else (shingles by lead(), intersection by join + counts) is portable.
    regexp_tokens(expr, pattern): the list of every match of pattern in expr, in order.
    explode_with_position(list_expr, value_alias, position_alias): a select-list fragment
    that turns one row into one row per element, with its 0-based position.
-#}
{% macro regexp_tokens(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_tokens', 'painrcm')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regexp_tokens(expr, pattern) -%}
    regexp_extract_all({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regexp_tokens(expr, pattern) -%}
    regexp_extract_all({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_tokens(expr, pattern) -%}
    regexp_extract_all({{ expr }}, '({{ pattern | replace("\\", "\\\\") }})', 1)
{%- endmacro %}


{% macro explode_with_position(list_expr, value_alias, position_alias) -%}
    {{ return(adapter.dispatch('explode_with_position', 'painrcm')(list_expr, value_alias, position_alias)) }}
{%- endmacro %}

{% macro default__explode_with_position(list_expr, value_alias, position_alias) -%}
    unnest({{ list_expr }}) as {{ value_alias }},
    unnest(range(len({{ list_expr }}))) as {{ position_alias }}
{%- endmacro %}

{% macro duckdb__explode_with_position(list_expr, value_alias, position_alias) -%}
    unnest({{ list_expr }}) as {{ value_alias }},
    unnest(range(len({{ list_expr }}))) as {{ position_alias }}
{%- endmacro %}

{% macro spark__explode_with_position(list_expr, value_alias, position_alias) -%}
    posexplode({{ list_expr }}) as ({{ position_alias }}, {{ value_alias }})
{%- endmacro %}


{#-
    shingle_key(expr): a 64-bit hash of a shingle (DuckDB hash, Spark xxhash64: only equality
    within one build matters). shingle_key_set(expr): the aggregate list of a note's keys.
    key_set_overlap(a, b): how many keys two such lists share. Together they compare a note
    with its predecessor as two lists of 8-byte keys, one row per pair, instead of joining
    shingle rows (~37 per claim line: 367M rows at 10M lines, a join that spilled tens of GB).
    Two different shingles of a note pair colliding would add a shared shingle; with ~10^2
    shingles a note the chance is ~10^-15 per pair.
-#}
{% macro shingle_key(expr) -%}
    {{ return(adapter.dispatch('shingle_key', 'painrcm')(expr)) }}
{%- endmacro %}

{% macro default__shingle_key(expr) -%}
    hash({{ expr }})
{%- endmacro %}

{% macro spark__shingle_key(expr) -%}
    xxhash64({{ expr }})
{%- endmacro %}

{% macro shingle_key_set(expr) -%}
    {{ return(adapter.dispatch('shingle_key_set', 'painrcm')(expr)) }}
{%- endmacro %}

{% macro default__shingle_key_set(expr) -%}
    list({{ expr }})
{%- endmacro %}

{% macro spark__shingle_key_set(expr) -%}
    collect_list({{ expr }})
{%- endmacro %}

{% macro key_set_overlap(left, right) -%}
    {{ return(adapter.dispatch('key_set_overlap', 'painrcm')(left, right)) }}
{%- endmacro %}

{% macro default__key_set_overlap(left, right) -%}
    len(list_intersect({{ left }}, {{ right }}))
{%- endmacro %}

{% macro spark__key_set_overlap(left, right) -%}
    {#- size(NULL) is -1 on Spark unless ANSI mode or sizeOfNull=false: NULL as on DuckDB -#}
    case
        when {{ left }} is not null and {{ right }} is not null
            then size(array_intersect({{ left }}, {{ right }}))
    end
{%- endmacro %}
