-- Company x fiscal quarter: what fct_ai_capex holds plus dividends, buybacks and debt (mapped in
-- concept_map like every other metric; discrete quarters from the year-to-date chain).
with

capex as (
    select * from {{ ref('fct_ai_capex') }}
),

quarters as (
    select * from {{ ref('int_financial_quarters_discretized') }}
    where metric in ('dividends', 'share_repurchases')
),

balances as (
    select * from {{ ref('int_financial_values_selected') }}
    where
        period_type = 'instant'
        and metric in ('long_term_debt', 'long_term_debt_noncurrent', 'long_term_debt_current')
),

returns as (
    select
        cik,
        fiscal_year,
        fiscal_quarter,
        max(case when metric = 'dividends' then value_usd end) as dividends_usd,
        max(case when metric = 'share_repurchases' then value_usd end) as share_repurchases_usd
    from quarters
    group by cik, fiscal_year, fiscal_quarter
),

debt as (
    select
        cik,
        period_end,
        max(case when metric = 'long_term_debt' then value_usd end) as long_term_debt_usd,
        max(case when metric = 'long_term_debt_noncurrent' then value_usd end)
            as debt_noncurrent_usd,
        max(case when metric = 'long_term_debt_current' then value_usd end) as debt_current_usd
    from balances
    group by cik, period_end
),

final as (
    select
        capex.ticker,
        capex.cik,
        capex.fiscal_year,
        capex.fiscal_quarter,
        capex.period_start,
        capex.period_end,
        capex.calendar_year,
        capex.calendar_quarter,
        capex.capex_usd,
        capex.capex_yoy_pct,
        capex.operating_cash_flow_usd,
        capex.free_cash_flow_usd,
        capex.cash_and_securities_usd,
        returns.dividends_usd,
        returns.share_repurchases_usd,
        coalesce(
            debt.long_term_debt_usd,
            debt.debt_noncurrent_usd + debt.debt_current_usd,
            debt.debt_noncurrent_usd
        ) as debt_usd,
        case
            when debt.long_term_debt_usd is not null then 'LongTermDebt (incl. current portion)'
            when debt.debt_current_usd is not null then 'LongTermDebtNoncurrent + LongTermDebtCurrent'
            when debt.debt_noncurrent_usd is not null then 'LongTermDebtNoncurrent only'
        end as debt_basis,
        capex.source,
        capex.source_accession,
        capex.filed_date
    from capex
    left join returns
        on
            capex.cik = returns.cik
            and capex.fiscal_year = returns.fiscal_year
            and capex.fiscal_quarter = returns.fiscal_quarter
    left join debt
        on
            capex.cik = debt.cik
            and capex.period_end = debt.period_end
)

select * from final
