{#-
    One row per build and mart: what each build counted (marts.build_info keeps only the
    current build). Incremental, appended to by every build, so Data health says what changed
    since the last build from the warehouse itself, whoever opens the app and whenever.
    Long form (mart, row_count): a mart added later is a new value, never a new column, so
    the table's schema never changes. The counts are only known once every mart has run, so
    this model only declares the table (no rows) and the on-run-end hook record_build_info
    (macros/build/record_build_info.sql) appends the build's rows, from the marts of dbt's
    graph. On Spark (`painrcm build --engine spark`) every build starts from an empty
    warehouse directory (painrcm/spark.py reset_databases), so the history holds that build
    only; the append (an insert) works there as on DuckDB.
-#}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}
with

final as (
    select
        cast(null as {{ dbt.type_string() }}) as invocation_id,
        cast(null as date) as as_of_date,
        cast(null as timestamp) as built_at,
        cast(null as {{ dbt.type_string() }}) as engine,
        cast(null as {{ dbt.type_string() }}) as mart,
        cast(null as {{ dbt.type_bigint() }}) as row_count
)

select * from final
where 1 = 0
