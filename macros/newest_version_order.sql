{#-
    Which delivered version of a key wins (INPUTS.md: "newer" = later in file-name order
    within a kind, ties by load time; within one file the later row). Use as
    `row_number() over (partition by <key> order by {{ newest_version_order() }})`:
    row 1 is the newest version. Stated once here for every staging model.
-#}
{% macro newest_version_order() -%}
    _file_name desc, _loaded_at desc, _row_number desc
{%- endmacro %}
