-- Gate: wherever all four quarters of a segment's fiscal year exist, they sum to the annual
-- report's figure within var('quarter_sum_tolerance'). Returns the offending rows.
{{ config(severity='error') }}

with

annual as (
    select * from {{ ref('fct_cloud_segment_revenue_annual') }}
),

final as (
    select
        ticker,
        segment,
        fiscal_year,
        revenue_usd,
        revenue_quarters_sum_usd,
        revenue_quarters_sum_usd - revenue_usd as difference_usd
    from annual
    where
        quarters_with_revenue = 4
        and revenue_usd is not null
        and abs(revenue_quarters_sum_usd - revenue_usd)
        > {{ var('quarter_sum_tolerance') }} * abs(revenue_usd)
)

select * from final
