-- Company x fiscal quarter: capex (discrete quarter), TTM, YoY and the cash it is paid from.
with

quarters as (
    select * from {{ ref('int_financial_quarters_discretized') }}
),

balances_selected as (
    select *
    from {{ ref('int_financial_values_selected') }}
    where period_type = 'instant'
),

companies as (
    select * from {{ ref('companies') }}
),

flows as (
    select
        cik,
        fiscal_year,
        fiscal_quarter,
        max(case when metric = 'capex' then value_usd end) as capex_usd,
        max(case when metric = 'revenue' then value_usd end) as revenue_usd,
        max(case when metric = 'operating_cash_flow' then value_usd end) as operating_cash_flow_usd,
        max(case when metric = 'depreciation_amortization' then value_usd end)
            as depreciation_amortization_usd,
        max(case when metric = 'capex' then accession_number end) as capex_accession,
        max(case when metric = 'revenue' then accession_number end) as revenue_accession,
        max(case when metric = 'operating_cash_flow' then accession_number end) as ocf_accession,
        max(case when metric = 'capex' then filed_date end) as capex_filed_date,
        max(case when metric = 'revenue' then filed_date end) as revenue_filed_date,
        max(case when metric = 'operating_cash_flow' then filed_date end) as ocf_filed_date,
        max(case when metric = 'capex' then source end) as capex_source,
        max(case when metric = 'revenue' then source end) as revenue_source,
        max(case when metric = 'operating_cash_flow' then source end) as ocf_source,
        max(case when metric = 'capex' then value_method end) as capex_method,
        max(case when restated then 1 else 0 end) as any_restated,
        max(period_start) as period_start,
        max(period_end) as period_end
    from quarters
    where metric in ('capex', 'revenue', 'operating_cash_flow', 'depreciation_amortization')
    group by cik, fiscal_year, fiscal_quarter
),

balances as (
    select
        cik,
        period_end,
        max(case when metric = 'cash_and_securities' then value_usd end) as cash_and_securities_usd,
        max(case when metric = 'cash_and_equivalents' then value_usd end) as cash_usd,
        max(case when metric = 'marketable_securities' then value_usd end)
            as marketable_securities_usd
    from balances_selected
    group by cik, period_end
),

joined as (
    select
        companies.ticker,
        flows.cik,
        flows.fiscal_year,
        flows.fiscal_quarter,
        flows.fiscal_year * 4 + flows.fiscal_quarter as fiscal_index,
        flows.period_start,
        flows.period_end,
        flows.capex_usd,
        flows.revenue_usd,
        flows.operating_cash_flow_usd,
        flows.depreciation_amortization_usd,
        -- a combined cash + short-term investments concept where the company tags one;
        -- otherwise cash and equivalents plus current marketable securities
        coalesce(
            balances.cash_and_securities_usd,
            balances.cash_usd + balances.marketable_securities_usd
        ) as cash_and_securities_usd,
        flows.capex_method,
        coalesce(flows.capex_accession, flows.revenue_accession, flows.ocf_accession)
            as source_accession,
        coalesce(flows.capex_filed_date, flows.revenue_filed_date, flows.ocf_filed_date)
            as filed_date,
        coalesce(flows.capex_source, flows.revenue_source, flows.ocf_source) as source,
        flows.any_restated = 1 as restated
    from flows
    inner join companies
        on flows.cik = companies.cik
    left join balances
        on
            flows.cik = balances.cik
            and flows.period_end = balances.period_end
    where
        flows.capex_usd is not null
        or flows.revenue_usd is not null
        or flows.operating_cash_flow_usd is not null
),

with_history as (
    select
        joined.*,
        sum(joined.capex_usd) over trailing_four as trailing_capex_sum,
        count(joined.capex_usd) over trailing_four as trailing_capex_quarters,
        min(joined.fiscal_index) over trailing_four as trailing_first_index
    from joined
    window trailing_four as (partition by cik order by fiscal_index rows between 3 preceding and current row)
),

final as (
    select
        current_quarter.ticker,
        current_quarter.cik,
        cast(current_quarter.fiscal_year as integer) as fiscal_year,
        cast(current_quarter.fiscal_quarter as integer) as fiscal_quarter,
        current_quarter.period_start,
        current_quarter.period_end,
        {{ calendar_year('current_quarter.period_start', 'current_quarter.period_end') }}
            as calendar_year,
        {{ calendar_quarter('current_quarter.period_start', 'current_quarter.period_end') }}
            as calendar_quarter,
        current_quarter.capex_usd,
        case
            when
                current_quarter.trailing_capex_quarters = 4
                and current_quarter.trailing_first_index = current_quarter.fiscal_index - 3
                then current_quarter.trailing_capex_sum
        end as capex_ttm_usd,
        100 * ({{ safe_divide('current_quarter.capex_usd', 'prior_year.capex_usd') }} - 1)
            as capex_yoy_pct,
        current_quarter.revenue_usd,
        current_quarter.operating_cash_flow_usd,
        current_quarter.operating_cash_flow_usd - current_quarter.capex_usd as free_cash_flow_usd,
        current_quarter.depreciation_amortization_usd,
        current_quarter.cash_and_securities_usd,
        {{ safe_divide('current_quarter.capex_usd', 'current_quarter.revenue_usd') }}
            as capex_to_revenue,
        {{ safe_divide('current_quarter.capex_usd', 'current_quarter.operating_cash_flow_usd') }}
            as capex_to_ocf,
        current_quarter.capex_method,
        case
            when current_quarter.capex_usd is null
                then 'capex not reported: no mapped concept for this quarter, or its year-to-date chain is incomplete'
        end as missing_reason,
        current_quarter.source,
        current_quarter.source_accession,
        current_quarter.filed_date,
        current_quarter.restated
    from with_history as current_quarter
    left join joined as prior_year
        on
            current_quarter.cik = prior_year.cik
            and current_quarter.fiscal_index - 4 = prior_year.fiscal_index
)

select * from final
