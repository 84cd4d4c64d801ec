{#-
    The select list of marts.build_info's one row, shared by the model (row_counts and
    failing_tests null: the marts and tests it reports on have not run yet) and by the
    record_build_info on-run-end hook, which writes the row again with both filled in.
    Every value is fixed for the invocation, so the model and the hook agree.
-#}
{% macro build_info_row(row_counts='null', failing_tests='null') -%}
    {{ as_of_date() }} as as_of_date,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at,
    '{{ target.type }}' as engine,
    '{{ dbt_version }}' as dbt_version,
    '{{ var("painrcm_version", "dev") }}' as painrcm_version,
    '{{ invocation_id }}' as invocation_id,
    cast({{ row_counts }} as {{ dbt.type_string() }}) as row_counts,
    cast({{ failing_tests }} as {{ dbt.type_string() }}) as failing_tests
{%- endmacro %}
