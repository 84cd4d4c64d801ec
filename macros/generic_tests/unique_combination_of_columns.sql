{#-
    Generic test: no two rows share the same values of combination_of_columns (NULLs compare
    equal, so a key with an empty optional part is still checked). No package needed.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {%- set columns_csv = combination_of_columns | join(', ') %}

    select
        {{ columns_csv }},
        count(*) as n_records
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1

{% endtest %}
