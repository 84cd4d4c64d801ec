{#-
    rules.md "What a build as of D sees: only what was known on D": a record dated after
    the as-of date (as_of_date()) was not known on it. Each source applies this once, in its
    staging model, before it picks the newest version of a key, so every mart sees the
    same past: claim versions by submitted_date, ledger postings by posted_date, care_time
    by activity_date, procedure notes by signed_at, authorizations by request_date,
    appointments by scheduled_on, 835 transactions by remit date (stg_x12__remit_dates).
    A record without a date is kept (ingest quarantines a required date that is missing).
-#}
{% macro known_as_of(date_column) -%}
    ({{ date_column }} is null or {{ date_column }} <= {{ as_of_date() }})
{%- endmacro %}
