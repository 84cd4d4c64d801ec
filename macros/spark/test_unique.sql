{#-
    dbt's `unique` test on Spark. seeds/_seeds.yml tests some keys as expressions with
    `cast(x as varchar)` (DuckDB's name); Spark only knows VARCHAR with a length, so the
    expression's bare varchar becomes string here. Otherwise dbt's own test, unchanged.
-#}
{% macro spark__test_unique(model, column_name) -%}
    {%- set spark_column = modules.re.sub('(?i)\\bvarchar\\b(?!\\s*\\()', 'string', column_name) -%}
    {{ return(dbt.default__test_unique(model, spark_column)) }}
{%- endmacro %}
