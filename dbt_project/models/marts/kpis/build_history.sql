{#-
    One row per build and mart: what each build counted (marts.build_info keeps only the
    current build). Incremental, appended to by every build, so Data health says what changed
    since the last build from the warehouse itself, whoever opens the app and whenever.
    Long form (mart, row_count): a mart added later is a new value, never a new column, so
    the table's schema never changes. The counted marts are build_info's rows_ columns, read
    when the model runs. On Spark (`painrcm build --engine spark`) every build starts from an
    empty warehouse directory (painrcm/spark.py reset_databases), so the history holds that
    build only; appending (Parquet insert) works there as on DuckDB.
-#}
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set counted = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('build_info')) -%}
        {%- if column.name.lower().startswith('rows_') -%}
            {%- do counted.append(column.name.lower()) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
with

build_info as (
    select * from {{ ref('build_info') }}
),

counts as (
    {%- for column in counted %}
        select
            invocation_id,
            as_of_date,
            built_at,
            engine,
            '{{ column[5:] }}' as mart,
            cast({{ column }} as {{ dbt.type_bigint() }}) as row_count
        from build_info
        {{ 'union all' if not loop.last }}
    {%- else %}
        select
            invocation_id,
            as_of_date,
            built_at,
            engine,
            cast(null as {{ dbt.type_string() }}) as mart,
            cast(null as {{ dbt.type_bigint() }}) as row_count
        from build_info
        where 1 = 0
    {%- endfor %}
),

final as (
    select
        invocation_id,
        as_of_date,
        built_at,
        engine,
        mart,
        row_count
    from counts
    {%- if is_incremental() %}
        where invocation_id not in (select invocation_id from {{ this }})
    {%- endif %}
)

select * from final
