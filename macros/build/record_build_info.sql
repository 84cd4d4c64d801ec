{#-
    on-run-end hook (dbt_project.yml): once every model and test of the invocation has run,
    marts.build_info gets the row count of every other mart (row_counts, a JSON object by
    mart name) and the tests that only warned (failing_tests; an error fails the build and
    nothing is published), and marts.build_history gets one row per mart for this build. The marts are the models of the models/marts folder, found in
    dbt's graph, so a new mart is counted without being named anywhere. Runs only when this
    invocation built build_info; DuckDB updates the row in place, Spark (Parquet tables
    have no UPDATE) overwrites it with the same values and the two filled in.
-#}
{% macro record_build_info(results) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set info = [] -%}
    {%- for r in results if r.node.resource_type == 'model' and r.node.name == 'build_info'
                            and r.status == 'success' -%}
        {%- do info.append(r.node) -%}
    {%- endfor -%}
    {%- if not info -%}{{ return('') }}{%- endif -%}
    {%- set relation = adapter.get_relation(info[0].database, info[0].schema, info[0].alias) -%}
    {%- if relation is none -%}{{ return('') }}{%- endif -%}

    {%- set counts = {} -%}
    {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.fqn[1] == 'marts'
               and node.name not in ('build_info', 'build_history')
               and node.config.materialized != 'ephemeral' -%}
        {%- set mart = api.Relation.create(database=node.database, schema=node.schema,
                                           identifier=node.alias) -%}
        {#- asked of the database, not dbt's cache (it holds only what this run selected):
            a mart not built yet has no columns and is left out -#}
        {%- if adapter.get_columns_in_relation(mart) -%}
            {%- set n = run_query('select count(*) from ' ~ mart).columns[0].values()[0] -%}
            {%- do counts.update({node.name: n | int}) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set warned = [] -%}
    {%- for r in results if r.status == 'warn' -%}{%- do warned.append(r.node.unique_id) -%}{%- endfor -%}

    {%- set row_counts = "'" ~ (tojson(counts, sort_keys=True) | replace("'", "''")) ~ "'" -%}
    {%- set failing = ("'" ~ (warned | join(' ')) ~ "'") if warned else 'null' -%}
    {#- written here and committed: the hook's own SQL would run in the transaction the
        queries above opened, which dbt rolls back after on-run-end (Spark: no transactions) -#}
    {%- call statement('record_build_info') -%}
        {{ adapter.dispatch('write_build_info', 'painrcm')(relation, row_counts, failing) }}
    {%- endcall -%}
    {%- set history = [] -%}
    {%- for r in results if r.node.resource_type == 'model' and r.node.name == 'build_history'
                            and r.status == 'success' -%}
        {%- do history.append(adapter.get_relation(r.node.database, r.node.schema, r.node.alias)) -%}
    {%- endfor -%}
    {%- if history and history[0] is not none and counts -%}
        {%- call statement('record_build_history') -%}
            insert into {{ history[0] }}
            {% for mart, n in counts | dictsort -%}
                select
                    '{{ invocation_id }}',
                    {{ as_of_date() }},
                    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp),
                    '{{ target.type }}',
                    '{{ mart }}',
                    cast({{ n }} as {{ dbt.type_bigint() }})
                {{ 'union all' if not loop.last }}
            {% endfor %}
        {%- endcall -%}
    {%- endif -%}
    {%- do adapter.commit() -%}
    {{ return('') }}
{%- endmacro %}


{% macro default__write_build_info(relation, row_counts, failing_tests) -%}
    update {{ relation }}
    set row_counts = {{ row_counts }}, failing_tests = {{ failing_tests }}
{%- endmacro %}


{% macro spark__write_build_info(relation, row_counts, failing_tests) -%}
    insert overwrite table {{ relation }}
    select {{ build_info_row(row_counts, failing_tests) }}
{%- endmacro %}
