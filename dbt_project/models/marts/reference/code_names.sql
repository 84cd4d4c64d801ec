{#-
    Names a person reads beside the codes the marts carry (issue #18): each payer's name,
    each rendering provider's name and each CARC's short description. The marts keep the
    codes; the pages, their downloads and painrcm export show these names next to payer_id,
    rendering_npi / npi and carc (painrcm/words.py).
-#}
with

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

providers as (
    select * from {{ ref('stg_pm__providers') }}
),

carcs as (
    select * from {{ ref('carc_categories') }}
),

named as (
    select
        'payer' as kind,
        payer_id as code,
        payer_name as display_name
    from payers
    union all
    select
        'provider' as kind,
        npi as code,
        provider_name as display_name
    from providers
    union all
    select
        'carc' as kind,
        cast(carc as {{ dbt.type_string() }}) as code,
        description as display_name
    from carcs
),

final as (
    select
        kind,
        code,
        display_name
    from named
    where code is not null and display_name is not null
)

select * from final
