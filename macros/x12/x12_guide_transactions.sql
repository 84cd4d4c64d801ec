{#-
    The transactions of one X12 guide in `transactions` (raw.x12_transactions, passed as
    `source('raw', 'x12_transactions')` so the model still names its source): every column
    of the row, i.e. the transaction with its envelope (file, ISA13, GS06, ST02, guide
    version, load time). Kept: ST01 = `transaction_set_id` and, when `version` is given,
    that guide version (GS08, compared upper case); with `first_copies_only`, only the
    first copy of a re-delivered transaction (redelivery_of NULL; ingest sets it on the
    later copies). The one place the X12 staging models pick their transactions. Portable
    SQL (upper, is null): the same on DuckDB and Spark.
-#}
{% macro x12_guide_transactions(transactions, transaction_set_id, version=none, first_copies_only=false) -%}
    select * from {{ transactions }}
    where
        transaction_set_id = '{{ transaction_set_id }}'
        {%- if version is not none %}
        and upper(version) = '{{ version | upper }}'
        {%- endif %}
        {%- if first_copies_only %}
        and redelivery_of is null
        {%- endif %}
{%- endmacro %}
