{#-
    One row per build: the as-of date and build time every dashboard page shows, the engine
    and versions, and (null here) row_counts and failing_tests: the on-run-end hook
    record_build_info fills both in once every mart and test of the build has run
    (macros/build/). It differs between engines and builds by nature.
-#}
with

final as (
    select
        {{ build_info_row() }}
)

select * from final
