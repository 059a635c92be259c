-- USD amounts printed in the earnings releases (8-K exhibit 99.1) under a column that prints
-- its period's end date, from releases read whole (a release with a parse error has no fact).
-- Fiscal-label columns ("Q1 2024", "Q4 FY24") are left out: a 52/53-week filer's label is
-- placed at a month end, not at its printed quarter end.
with

facts as (
    select * from {{ source('sec', 'sec_release_facts') }}
),

releases as (
    select * from {{ source('sec', 'sec_releases') }}
    where parse_error is null
),

final as (
    select
        facts.accession_number,
        facts.ticker,
        cast(facts.cik as bigint) as cik,
        cast(facts.filed_date as date) as filed_date,
        facts.table_index,
        coalesce(facts.table_title, '') as table_title,
        coalesce(facts.section, '') as section,
        facts.row_index,
        facts.row_label,
        facts.column_index,
        facts.column_header,
        cast(facts.period_start as date) as period_start,
        cast(facts.period_end as date) as period_end,
        facts.period_months,
        facts.printed,
        cast(facts.value as decimal(38, 6)) as reported_value,
        releases.source_url
    from facts
    inner join releases
        on facts.accession_number = releases.accession_number
    where
        facts.unit = 'USD'
        and facts.period_basis = 'date'
        and facts.period_months in (3, 6, 9, 12)
)

select * from final
