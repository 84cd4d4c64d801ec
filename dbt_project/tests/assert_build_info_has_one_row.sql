-- build_info is rebuilt on every build: exactly one row, never an accumulating history.
with

build_info as (
    select * from {{ ref('build_info') }}
),

row_count as (
    select count(*) as build_rows from build_info
),

final as (
    select * from row_count
    where build_rows <> 1
)

select * from final
