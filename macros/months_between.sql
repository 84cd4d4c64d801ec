{#-
    Whole calendar months from the month of start_date to the month of end_date (end -
    start; 2026-01-31 -> 2026-02-01 is 1). Portable: year() and month() exist on DuckDB and
    Spark alike (dbt.datediff's DuckDB version renders `::timestamp`).
-#}
{% macro months_between(start_date, end_date) -%}
    ((year({{ end_date }}) - year({{ start_date }})) * 12 + month({{ end_date }}) - month({{ start_date }}))
{%- endmacro %}
