-- Company x balance-sheet date (a fiscal quarter end with at least one commitment figure):
-- what the company has signed up for but not yet spent or recognised, against its cash and
-- capex. RPO and its near-term share (each company's own horizon, rpo_horizons), leases not
-- yet commenced, purchase obligations, debt, finance-lease liabilities; RPO against TTM cloud
-- revenue (cloud_revenue_segments; four contiguous discrete quarters) and the commitments
-- (leases not commenced + purchase obligations) against cash and marketable securities.
with

balances as (
    select * from {{ ref('int_funding_flows_pivoted') }}
    where period_grain = 'quarter' and balance_figures > 0
),

funding as (
    select * from {{ ref('int_capex_funding_covered') }}
),

horizons as (select * from {{ ref('rpo_horizons') }}),

cloud_segments as (select * from {{ ref('cloud_revenue_segments') }}),

cloud_quarters as (
    select
        segments.cik,
        segments.fiscal_year * 4 + segments.fiscal_quarter as period_index,
        segments.revenue_usd
    from {{ ref('int_segment_revenue_pivoted') }} as segments
    inner join cloud_segments
        on segments.ticker = cloud_segments.ticker and segments.segment = cloud_segments.segment
    where segments.period_grain = 'quarter'
),

cloud_ttm as (
    select
        cik,
        period_index,
        {{ trailing_four_quarter_sum('revenue_usd', 'trailing_four') }} as cloud_revenue_ttm_usd
    from cloud_quarters
    window trailing_four as ({{ trailing_four_quarters_window() }})
),

final as (
    select
        balances.ticker,
        balances.cik,
        balances.fiscal_year,
        balances.fiscal_quarter,
        balances.period_end as balance_sheet_date,
        balances.calendar_year,
        balances.calendar_quarter,
        balances.remaining_performance_obligation_usd,
        horizons.near_term_months as rpo_near_term_months,
        case
            when horizons.basis = 'share_tagged' then cast(balances.rpo_near_term_share_usd as double)
        end as rpo_near_term_share,
        case
            when horizons.basis = 'share_tagged'
                then cast(
                        balances.remaining_performance_obligation_usd
                        * balances.rpo_near_term_share_usd as decimal(38, 2)
                    )
        end as rpo_near_term_usd,
        case
            when balances.remaining_performance_obligation_usd is null
                then 'RPO not tagged at this date'
            when horizons.ticker is null then 'no stated horizon for this company (rpo_horizons)'
            when horizons.basis != 'share_tagged'
                then 'the company states a weighted-average life, not a near-term share'
            when balances.rpo_near_term_share_usd is null then 'near-term share not tagged at this date'
        end as rpo_near_term_missing_reason,
        balances.leases_not_commenced_usd,
        balances.purchase_obligations_usd,
        balances.debt_usd,
        balances.debt_basis,
        balances.finance_lease_liabilities_usd,
        balances.cash_and_securities_usd,
        funding.capex_ttm_usd,
        cloud_ttm.cloud_revenue_ttm_usd,
        {{ safe_divide('balances.remaining_performance_obligation_usd', 'cloud_ttm.cloud_revenue_ttm_usd') }}
            as rpo_to_cloud_revenue_ttm,
        balances.leases_not_commenced_usd + balances.purchase_obligations_usd as off_balance_commitments_usd,
        {{ safe_divide('balances.leases_not_commenced_usd + balances.purchase_obligations_usd',
                       'balances.cash_and_securities_usd') }} as commitments_to_cash,
        {{ safe_divide('balances.leases_not_commenced_usd + balances.purchase_obligations_usd',
                       'funding.capex_ttm_usd') }} as commitments_to_capex_ttm,
        coalesce(
            balances.remaining_performance_obligation_accession,
            balances.leases_not_commenced_accession,
            balances.purchase_obligations_accession,
            balances.finance_lease_liabilities_accession,
            balances.servers_network_gross_ppe_accession
        ) as source_accession,
        coalesce(
            balances.remaining_performance_obligation_filed_date,
            balances.leases_not_commenced_filed_date,
            balances.purchase_obligations_filed_date,
            balances.finance_lease_liabilities_filed_date,
            balances.servers_network_gross_ppe_filed_date
        ) as filed_date,
        balances.leases_not_commenced_accession,
        balances.purchase_obligations_accession
    from balances
    left join horizons
        on balances.ticker = horizons.ticker
    left join funding
        on
            balances.cik = funding.cik
            and balances.fiscal_year = funding.fiscal_year
            and balances.fiscal_quarter = funding.fiscal_quarter
    left join cloud_ttm
        on balances.cik = cloud_ttm.cik and balances.period_index = cloud_ttm.period_index
)

select * from final
