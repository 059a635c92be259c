-- Gate: per company and period, the operating segments' revenue sums to no more than the
-- company's consolidated revenue, and no segment or product line exceeds it on its own.
-- (Product lines such as NVIDIA Data Center sit inside a segment, so they are not summed.)
{{ config(severity='error', meta={'dagster': {'ref': {'name': 'fct_cloud_segment_revenue_annual'}}}) }}

with

quarterly as (
    select
        ticker,
        fiscal_year,
        fiscal_quarter as fiscal_period,
        segment,
        segment_kind,
        revenue_usd,
        company_revenue_usd
    from {{ ref('fct_cloud_segment_revenue') }}
),

annual as (
    select
        ticker,
        fiscal_year,
        0 as fiscal_period,
        segment,
        segment_kind,
        revenue_usd,
        company_revenue_usd
    from {{ ref('fct_cloud_segment_revenue_annual') }}
),

combined as (
    select * from quarterly
    union all
    select * from annual
),

sums as (
    select
        ticker,
        fiscal_year,
        fiscal_period,
        sum(case when segment_kind = 'operating_segment' then revenue_usd else 0 end)
            as segments_revenue_usd,
        max(revenue_usd) as largest_line_usd,
        max(company_revenue_usd) as company_revenue_usd
    from combined
    where company_revenue_usd is not null
    group by ticker, fiscal_year, fiscal_period
),

final as (
    select *
    from sums
    where
        segments_revenue_usd > company_revenue_usd
        or largest_line_usd > company_revenue_usd
)

select * from final
