-- Gate: a segment quarter derived from year-to-date values (Q4 = FY - 9M) lies within half and
-- twice the segment's previous quarter. Derived quarters make the annual-equals-sum gate add up
-- by construction, so it cannot see a fiscal year and a nine months on different bases
-- (Microsoft's re-cast Intelligent Cloud FY2024: about 9 billion instead of about 24 billion);
-- this check can. Revenue only: operating income can change sign. Returns the implausible rows.
{{ config(severity='error') }}

with

quarters as (
    select
        ticker,
        segment,
        fiscal_year,
        fiscal_quarter,
        revenue_usd,
        revenue_method,
        source_accession,
        lag(revenue_usd) over by_segment as previous_revenue_usd,
        lag(fiscal_year * 4 + fiscal_quarter) over by_segment as previous_index
    from {{ ref('fct_cloud_segment_revenue') }}
    window by_segment as (partition by ticker, segment order by fiscal_year, fiscal_quarter)
)

select *
from quarters
where
    revenue_method = 'derived_from_ytd'
    and previous_index = fiscal_year * 4 + fiscal_quarter - 1
    and previous_revenue_usd > 0
    and (
        revenue_usd < 0.5 * previous_revenue_usd
        or revenue_usd > 2 * previous_revenue_usd
    )
