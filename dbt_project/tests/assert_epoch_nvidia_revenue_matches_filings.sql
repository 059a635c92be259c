-- Epoch AI's NVIDIA compilation (a secondary source) must agree with the filings where both
-- report a quarter, within the seed tolerance: total revenue against fct_ai_capex, data-center
-- revenue against the filing's Data Center figure (fct_cloud_segment_revenue).
{{ config(severity='error', meta={'dagster': {'ref': {'name': 'stg_epoch__nvidia_quarterly_revenue'}}}) }}

with

epoch as (
    select * from {{ ref('stg_epoch__nvidia_quarterly_revenue') }}
),

filed_totals as (
    select * from {{ ref('fct_ai_capex') }}
    where ticker = 'NVDA' and revenue_usd is not null
),

filed_data_center as (
    select * from {{ ref('fct_cloud_segment_revenue') }}
    where ticker = 'NVDA' and segment = 'nvidia_data_center' and revenue_usd is not null
),

tolerance as (
    select value as tolerance_share from {{ ref('assumptions') }}
    where assumption = 'secondary_source_tolerance' and scenario = 'all'
),

compared as (
    select
        epoch.fiscal_label,
        'total_revenue' as measure,
        epoch.total_revenue_usd as epoch_usd,
        filed_totals.revenue_usd as filed_usd,
        filed_totals.source_accession
    from epoch
    inner join filed_totals
        on
            epoch.fiscal_year = filed_totals.fiscal_year
            and epoch.fiscal_quarter = filed_totals.fiscal_quarter

    union all

    select
        epoch.fiscal_label,
        'data_center_revenue' as measure,
        epoch.data_center_revenue_usd as epoch_usd,
        filed_data_center.revenue_usd as filed_usd,
        filed_data_center.source_accession
    from epoch
    inner join filed_data_center
        on
            epoch.fiscal_year = filed_data_center.fiscal_year
            and epoch.fiscal_quarter = filed_data_center.fiscal_quarter
),

final as (
    select compared.*
    from compared
    cross join tolerance
    where abs(compared.epoch_usd - compared.filed_usd) > tolerance.tolerance_share * compared.filed_usd
)

select * from final
