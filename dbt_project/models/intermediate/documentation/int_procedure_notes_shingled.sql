{#-
    rules.md §15 similarity, step 1: the distinct 3-token shingles of every note (newest
    version). Tokens are the [a-z0-9]+ runs of the lowercased text (seed documentation_rules
    token_pattern and shingle_size; the SQL below is written for those values). Shingles come
    from lead() over the token positions, so no self-join is needed; a note of fewer than 3
    tokens has no shingle.
-#}
with

notes as (
    select * from {{ ref('stg_pm__procedure_notes') }}
),

-- the token list once per note (exploding an expression would evaluate the regex twice)
token_lists as (
    select
        note_id,
        {{ regexp_tokens('lower(note_text)', '[a-z0-9]+') }} as token_list
    from notes
),

tokens as (
    select
        note_id,
        {{ explode_with_position('token_list', 'token', 'token_position') }}
    from token_lists
),

windows as (
    select
        note_id,
        token,
        lead(token, 1) over (partition by note_id order by token_position) as next_token,
        lead(token, 2) over (partition by note_id order by token_position) as third_token
    from tokens
),

shingles as (
    select distinct
        note_id,
        concat(token, ' ', next_token, ' ', third_token) as shingle
    from windows
    where third_token is not null
),

final as (
    select * from shingles
)

select * from final
