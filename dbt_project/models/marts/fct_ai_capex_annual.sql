-- Company x fiscal year, straight from the twelve-month values of the annual reports, so a year
-- exists even where its quarters do not; the quarter sums sit beside it for the sum gate.
with

values_selected as (
    select * from {{ ref('int_financial_values_selected') }}
),

quarterly as (
    select * from {{ ref('fct_ai_capex') }}
),

companies as (
    select * from {{ ref('companies') }}
),

annual_flows as (
    select
        cik,
        fiscal_year,
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
        max(case when restated then 1 else 0 end) as any_restated,
        max(period_start) as period_start,
        max(period_end) as period_end
    from values_selected
    where
        period_type = 'duration'
        and duration_months = 12
        and fiscal_quarter = 4
        and metric in ('capex', 'revenue', 'operating_cash_flow', 'depreciation_amortization')
    group by cik, fiscal_year
),

balances as (
    select
        cik,
        period_end,
        max(case when metric = 'cash_and_securities' then value_usd end) as cash_and_securities_usd,
        max(case when metric = 'cash_and_equivalents' then value_usd end) as cash_usd,
        max(case when metric = 'marketable_securities' then value_usd end)
            as marketable_securities_usd
    from values_selected
    where period_type = 'instant'
    group by cik, period_end
),

quarter_sums as (
    select
        cik,
        fiscal_year,
        count(capex_usd) as quarters_with_capex,
        count(revenue_usd) as quarters_with_revenue,
        count(operating_cash_flow_usd) as quarters_with_operating_cash_flow,
        sum(capex_usd) as capex_quarters_sum_usd,
        sum(revenue_usd) as revenue_quarters_sum_usd,
        sum(operating_cash_flow_usd) as operating_cash_flow_quarters_sum_usd
    from quarterly
    group by cik, fiscal_year
),

joined as (
    select
        companies.ticker,
        annual_flows.cik,
        annual_flows.fiscal_year,
        annual_flows.period_start,
        annual_flows.period_end,
        annual_flows.capex_usd,
        annual_flows.revenue_usd,
        annual_flows.operating_cash_flow_usd,
        annual_flows.depreciation_amortization_usd,
        coalesce(
            balances.cash_and_securities_usd,
            balances.cash_usd + balances.marketable_securities_usd
        ) as cash_and_securities_usd,
        coalesce(
            annual_flows.capex_accession, annual_flows.revenue_accession,
            annual_flows.ocf_accession
        ) as source_accession,
        coalesce(
            annual_flows.capex_filed_date, annual_flows.revenue_filed_date,
            annual_flows.ocf_filed_date
        ) as filed_date,
        coalesce(annual_flows.capex_source, annual_flows.revenue_source, annual_flows.ocf_source)
            as source,
        annual_flows.any_restated = 1 as restated
    from annual_flows
    inner join companies
        on annual_flows.cik = companies.cik
    left join balances
        on
            annual_flows.cik = balances.cik
            and annual_flows.period_end = balances.period_end
),

final as (
    select
        current_year.ticker,
        current_year.cik,
        cast(current_year.fiscal_year as integer) as fiscal_year,
        current_year.period_start,
        current_year.period_end,
        {{ calendar_year('current_year.period_start', 'current_year.period_end') }}
            as calendar_year,
        current_year.capex_usd,
        100 * ({{ safe_divide('current_year.capex_usd', 'prior_year.capex_usd') }} - 1)
            as capex_yoy_pct,
        current_year.revenue_usd,
        current_year.operating_cash_flow_usd,
        current_year.operating_cash_flow_usd - current_year.capex_usd as free_cash_flow_usd,
        current_year.depreciation_amortization_usd,
        current_year.cash_and_securities_usd,
        {{ safe_divide('current_year.capex_usd', 'current_year.revenue_usd') }}
            as capex_to_revenue,
        {{ safe_divide('current_year.capex_usd', 'current_year.operating_cash_flow_usd') }}
            as capex_to_ocf,
        coalesce(quarter_sums.quarters_with_capex, 0) as quarters_with_capex,
        quarter_sums.capex_quarters_sum_usd,
        coalesce(quarter_sums.quarters_with_revenue, 0) as quarters_with_revenue,
        quarter_sums.revenue_quarters_sum_usd,
        coalesce(quarter_sums.quarters_with_operating_cash_flow, 0)
            as quarters_with_operating_cash_flow,
        quarter_sums.operating_cash_flow_quarters_sum_usd,
        current_year.source,
        current_year.source_accession,
        current_year.filed_date,
        current_year.restated
    from joined as current_year
    left join joined as prior_year
        on
            current_year.cik = prior_year.cik
            and current_year.fiscal_year - 1 = prior_year.fiscal_year
    left join quarter_sums
        on
            current_year.cik = quarter_sums.cik
            and current_year.fiscal_year = quarter_sums.fiscal_year
)

select * from final
