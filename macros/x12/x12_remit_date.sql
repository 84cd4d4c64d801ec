{#-
    rules.md §8: the remit date of an 835 transaction is BPR16 (the check/EFT date); DTM*405
    (the production date) only when BPR16 is absent. Arguments: the two elements' text.
-#}
{% macro x12_remit_date(payment_date_text, production_date_text) -%}
    coalesce({{ x12_date(payment_date_text) }}, {{ x12_date(production_date_text) }})
{%- endmacro %}
