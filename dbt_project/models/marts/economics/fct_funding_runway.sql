-- Company x fiscal quarter x scenario: the cash a company has, what it spends and returns, and
-- how many quarters its balance sheet carries the capex trajectory of each named scenario.
with

funding as (
    select * from {{ ref('int_sec_financials_pivoted') }}
    where period_grain = 'quarter'
),

runway as (select * from {{ ref('int_funding_runway_projected') }}),

assumptions as (select * from {{ ref('int_assumptions_pivoted') }}),

final as (
    select
        funding.ticker,
        funding.cik,
        funding.fiscal_year,
        funding.fiscal_quarter,
        funding.period_start,
        funding.period_end,
        funding.calendar_year,
        funding.calendar_quarter,
        runway.scenario,
        funding.cash_and_securities_usd,
        funding.debt_usd,
        funding.debt_basis,
        funding.cash_and_securities_usd - funding.debt_usd as net_cash_usd,
        funding.operating_cash_flow_usd,
        funding.capex_usd,
        funding.capex_yoy_pct,
        funding.dividends_usd,
        funding.share_repurchases_usd,
        funding.dividends_usd + funding.share_repurchases_usd as shareholder_returns_usd,
        funding.free_cash_flow_usd,
        funding.free_cash_flow_usd - funding.dividends_usd - funding.share_repurchases_usd
            as free_cash_flow_after_returns_usd,
        runway.capex_growth_basis,
        runway.capex_quarterly_growth,
        runway.ocf_quarterly_growth as operating_cash_flow_quarterly_growth,
        runway.shareholder_returns_multiple,
        runway.runway_horizon_quarters,
        runway.runway_quarters,
        runway.runway_status,
        -- only where cash lasts: a trajectory that runs out can compound past any decimal
        case
            when runway.runway_status = 'beyond_horizon' then runway.cash_at_horizon_usd
        end as cash_at_horizon_usd,
        assumptions.assumptions_as_of,
        funding.source,
        funding.source_accession,
        funding.filed_date
    from funding
    inner join runway
        on
            funding.ticker = runway.ticker
            and funding.fiscal_year = runway.fiscal_year
            and funding.fiscal_quarter = runway.fiscal_quarter
    cross join assumptions
)

select * from final
