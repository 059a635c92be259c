-- Gate: wherever all four quarters exist, they sum to the fiscal year's annual figure, within
-- var('quarter_sum_tolerance') of the annual value (rounding of older filings; a restated
-- year shows small gaps). Returns the offending rows.
{{ config(severity='error') }}

with

annual as (
    select * from {{ ref('fct_ai_capex_annual') }}
),

checks as (
    select
        ticker,
        fiscal_year,
        'capex' as metric,
        capex_usd as annual_usd,
        capex_quarters_sum_usd as quarters_sum_usd
    from annual
    where quarters_with_capex = 4 and capex_usd is not null

    union all

    select
        ticker,
        fiscal_year,
        'revenue' as metric,
        revenue_usd as annual_usd,
        revenue_quarters_sum_usd as quarters_sum_usd
    from annual
    where quarters_with_revenue = 4 and revenue_usd is not null

    union all

    select
        ticker,
        fiscal_year,
        'operating_cash_flow' as metric,
        operating_cash_flow_usd as annual_usd,
        operating_cash_flow_quarters_sum_usd as quarters_sum_usd
    from annual
    where quarters_with_operating_cash_flow = 4 and operating_cash_flow_usd is not null
),

final as (
    select
        *,
        quarters_sum_usd - annual_usd as difference_usd
    from checks
    where abs(quarters_sum_usd - annual_usd)
        > {{ var('quarter_sum_tolerance') }} * abs(annual_usd)
)

select * from final
