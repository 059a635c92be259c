-- For each company quarter and scenario, project cash quarter by quarter:
-- cash_k = cash_0 + sum_{j<=k} (ocf_j - capex_j - returns_j), with capex_j = capex_0 x (1+g)^j,
-- ocf_j = ocf_0 x (1+h)^j and returns_j = returns_0 x m (g, h, m from the scenario seed rows).
-- The runway is the first quarter whose projected cash is below zero; a scenario with
-- new_debt_allowed may first borrow up to the leverage limit (assumption
-- leverage_limit_debt_to_operating_cash_flow x annualised base OCF, less the debt it has):
-- it runs out when projected cash + that headroom is below zero. Every row carries its
-- base quarter (int_sec_financials_pivoted), so fct_funding_runway is a projection of it.
with

funding as (
    select * from {{ ref('int_sec_financials_pivoted') }}
    where period_grain = 'quarter'
),

assumptions as (select * from {{ ref('assumptions') }}),

global_assumptions as (select * from {{ ref('int_assumptions_pivoted') }}),

scenarios as (
    select
        scenario,
        max(case when assumption = 'capex_growth_basis' then value_text end) as capex_growth_basis,
        max(case when assumption = 'capex_quarterly_growth' then value end)
            as capex_quarterly_growth,
        max(case when assumption = 'operating_cash_flow_quarterly_growth' then value end)
            as ocf_quarterly_growth,
        max(case when assumption = 'shareholder_returns_multiple' then value end)
            as shareholder_returns_multiple,
        coalesce(max(case when assumption = 'new_debt_allowed' then value end), 0) = 1 as new_debt_allowed,
        max(as_of) as scenario_as_of
    from assumptions
    where scenario != 'all'
    group by scenario
),

offsets as (
    {{ integer_series('quarter_offset', '1', 'floor(runway_horizon_quarters)', 'global_assumptions') }}
),

bases as (
    select
        funding.ticker,
        funding.cik,
        funding.fiscal_year,
        funding.fiscal_quarter,
        funding.period_start,
        funding.period_end,
        funding.calendar_year,
        funding.calendar_quarter,
        funding.cash_and_securities_usd,
        funding.debt_usd,
        funding.debt_basis,
        funding.operating_cash_flow_usd,
        funding.capex_usd,
        funding.capex_yoy_pct,
        funding.dividends_usd,
        funding.dividends_basis,
        funding.share_repurchases_usd,
        funding.free_cash_flow_usd,
        funding.source,
        funding.source_accession,
        funding.filed_date,
        scenarios.scenario,
        scenarios.capex_growth_basis,
        scenarios.ocf_quarterly_growth,
        scenarios.shareholder_returns_multiple,
        scenarios.new_debt_allowed,
        global_assumptions.leverage_limit_debt_to_operating_cash_flow,
        case
            when not scenarios.new_debt_allowed then cast(0 as double)
            when funding.debt_usd is not null and funding.operating_cash_flow_usd is not null
                then greatest(
                        global_assumptions.leverage_limit_debt_to_operating_cash_flow
                        * 4
                        * cast(funding.operating_cash_flow_usd as double)
                        - cast(funding.debt_usd as double),
                        0
                    )
        end as debt_headroom_usd,
        cast(global_assumptions.runway_horizon_quarters as integer) as runway_horizon_quarters,
        global_assumptions.assumptions_as_of,
        cast(funding.cash_and_securities_usd as double) as cash_0,
        cast(funding.capex_usd as double) as capex_0,
        cast(funding.operating_cash_flow_usd as double) as ocf_0,
        cast(funding.dividends_usd + funding.share_repurchases_usd as double) as returns_0,
        case
            when scenarios.capex_growth_basis = 'trailing_yoy'
                then power(1 + funding.capex_yoy_pct / 100.0, 0.25) - 1
            else scenarios.capex_quarterly_growth
        end as capex_quarterly_growth
    from funding
    cross join scenarios
    cross join global_assumptions
),

complete_bases as (
    select * from bases
    where
        cash_0 is not null
        and capex_0 is not null
        and ocf_0 is not null
        and returns_0 is not null
        and capex_quarterly_growth is not null
        -- greatest() skips nulls: a debt scenario needs the debt and the limit
        and (not new_debt_allowed or (debt_usd is not null and leverage_limit_debt_to_operating_cash_flow is not null))
),

projected as (
    select
        complete_bases.ticker,
        complete_bases.fiscal_year,
        complete_bases.fiscal_quarter,
        complete_bases.scenario,
        offsets.quarter_offset,
        complete_bases.debt_headroom_usd,
        complete_bases.cash_0
        + sum(
            complete_bases.ocf_0
            * power(1 + complete_bases.ocf_quarterly_growth, offsets.quarter_offset)
            - complete_bases.capex_0
            * power(1 + complete_bases.capex_quarterly_growth, offsets.quarter_offset)
            - complete_bases.returns_0 * complete_bases.shareholder_returns_multiple
        ) over (
            partition by
                complete_bases.ticker,
                complete_bases.fiscal_year,
                complete_bases.fiscal_quarter,
                complete_bases.scenario
            order by offsets.quarter_offset
            rows between unbounded preceding and current row
        ) as projected_cash_usd,
        max(offsets.quarter_offset) over (
            partition by
                complete_bases.ticker,
                complete_bases.fiscal_year,
                complete_bases.fiscal_quarter,
                complete_bases.scenario
        ) as horizon_offset
    from complete_bases
    inner join offsets
        on complete_bases.runway_horizon_quarters >= offsets.quarter_offset
),

summarised as (
    select
        ticker,
        fiscal_year,
        fiscal_quarter,
        scenario,
        min(case when projected_cash_usd + debt_headroom_usd < 0 then quarter_offset end) as runway_quarters,
        max(case when quarter_offset = horizon_offset then projected_cash_usd end) as cash_at_horizon_usd
    from projected
    group by ticker, fiscal_year, fiscal_quarter, scenario
),

final as (
    select
        bases.*,
        summarised.runway_quarters,
        summarised.cash_at_horizon_usd as projected_cash_at_horizon_usd,
        case
            when summarised.ticker is null then 'inputs_missing'
            when summarised.runway_quarters is not null then 'runs_out'
            else 'beyond_horizon'
        end as runway_status
    from bases
    left join summarised
        on
            bases.ticker = summarised.ticker
            and bases.fiscal_year = summarised.fiscal_year
            and bases.fiscal_quarter = summarised.fiscal_quarter
            and bases.scenario = summarised.scenario
)

select * from final
