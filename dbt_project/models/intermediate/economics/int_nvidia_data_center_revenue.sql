-- NVIDIA data-center revenue per fiscal quarter. Filings win where they report it; Epoch AI's
-- compilation (a secondary source, labelled in `source`) fills quarters without a filing figure.
with

epoch as (select * from {{ ref('stg_epoch__nvidia_quarterly_revenue') }}),

segments as (
    select * from {{ ref('int_segment_revenue_pivoted') }}
    where
        period_grain = 'quarter'
        and ticker = 'NVDA'
        and segment = 'nvidia_data_center'
        and revenue_usd is not null
),

companies as (
    select * from {{ ref('companies') }}
    where ticker = 'NVDA'
),

from_epoch as (
    select
        epoch.fiscal_year,
        epoch.fiscal_quarter,
        epoch.period_start,
        epoch.period_end,
        epoch.data_center_revenue_usd,
        epoch.total_revenue_usd,
        'epoch_ai_secondary' as source,
        epoch.source_url,
        epoch.cited_url,
        cast(null as {{ dbt.type_string() }}) as source_accession,
        2 as source_priority
    from epoch
),

from_filings as (
    select
        segments.fiscal_year,
        segments.fiscal_quarter,
        segments.period_start,
        segments.period_end,
        segments.revenue_usd as data_center_revenue_usd,
        segments.company_revenue_usd as total_revenue_usd,
        'sec_filing_segment' as source,
        segments.source_url,
        cast(null as {{ dbt.type_string() }}) as cited_url,
        segments.source_accession,
        1 as source_priority
    from segments
),

candidates as (
    select * from from_filings
    union all
    select * from from_epoch
),

ranked as (
    select
        *,
        row_number() over (
            partition by fiscal_year, fiscal_quarter order by source_priority
        ) as source_rank
    from candidates
),

final as (
    select
        companies.ticker,
        {{ period_label_columns('ranked') }},
        ranked.data_center_revenue_usd,
        ranked.total_revenue_usd,
        ranked.source,
        ranked.source_url,
        ranked.cited_url,
        ranked.source_accession
    from ranked
    cross join companies
    where ranked.source_rank = 1
)

select * from final
