{#-
    Spinal levels as one canonical space-separated string (INPUTS.md, appointments.levels):
    upper case, `/` or `_` between two levels -> `-`, a shortened pair `L4-5` -> `L4-L5`,
    a run-together pair `L5S1` -> `L5-S1`, runs of spaces collapsed. NULL stays NULL.
-#}
{% macro normalise_spinal_levels(expr) -%}
    {%- set upper_dashed = "replace(replace(upper(trim(" ~ expr ~ ")), '/', '-'), '_', '-')" -%}
    {%- set single_spaced = regexp_replace_all(upper_dashed, '\\s+', ' ') -%}
    {%- set joined_pairs = regexp_replace_all(single_spaced, '([CTLS][0-9]+)([CTLS][0-9]+)', '\\1-\\2') -%}
    {{ regexp_replace_all(joined_pairs, '([CTLS])([0-9]+)-([0-9]+)', '\\1\\2-\\1\\3') }}
{%- endmacro %}
