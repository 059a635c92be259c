-- Company x fiscal quarter (and fiscal year: period_grain): how the quarter's capex plus
-- shareholder returns was paid for, in order: operating cash flow first, then net new debt,
-- then the rest (cash drawdown and other sources). uses = capex + dividends + buybacks;
-- from_ocf = least(greatest(ocf, 0), uses);
-- from_debt = least(greatest(net debt issued, 0), uses - from_ocf); from_cash = the rest.
-- Net debt issued = long-term issued - repaid + short-term/commercial paper net (a gross pair
-- where no net line is tagged); a debt line the quarter does not tag counts as 0 only when
-- another debt line of the quarter is tagged (the statement prints a dash), otherwise the
-- coverage is null; coverage_missing_reason names every input the period lacks. TTM figures
-- need four contiguous reported quarters.
with

flows as (
    select * from {{ ref('int_funding_flows_pivoted') }}
),

debt_netted as (
    select
        *,
        case
            when debt_flows_tagged > 0
                then coalesce(
                        short_term_debt_net_usd,
                        coalesce(short_term_debt_issued_usd, 0) - coalesce(short_term_debt_repaid_usd, 0)
                    )
        end as short_term_debt_net_change_usd,
        case
            when debt_flows_tagged > 0
                then coalesce(debt_issued_usd, 0) - coalesce(debt_repaid_usd, 0)
                    + coalesce(
                        short_term_debt_net_usd,
                        coalesce(short_term_debt_issued_usd, 0) - coalesce(short_term_debt_repaid_usd, 0)
                    )
        end as net_debt_issued_usd,
        capex_usd + dividends_usd + share_repurchases_usd as uses_usd,
        coalesce(
            debt_issued_accession, debt_repaid_accession, short_term_debt_net_accession,
            short_term_debt_issued_accession, short_term_debt_repaid_accession
        ) as debt_flows_accession
    from flows
),

covered as (
    select
        *,
        -- least/greatest skip nulls: guarded so a missing input stays null
        case
            when uses_usd is not null and operating_cash_flow_usd is not null
                then least(greatest(operating_cash_flow_usd, 0), uses_usd)
        end as covered_by_operating_cash_usd
    from debt_netted
),

covered_by_debt as (
    select
        *,
        case
            when covered_by_operating_cash_usd is not null and net_debt_issued_usd is not null
                then least(greatest(net_debt_issued_usd, 0), uses_usd - covered_by_operating_cash_usd)
        end as covered_by_new_debt_usd
    from covered
),

with_history as (
    select
        *,
        {{ trailing_four_quarter_sum('capex_usd', 'trailing_four') }} as capex_ttm_usd,
        {{ trailing_four_quarter_sum('net_debt_issued_usd', 'trailing_four') }} as net_debt_issued_ttm_usd,
        lag(cash_and_securities_usd) over company_quarters as previous_cash_and_securities_usd,
        lag(period_index) over company_quarters as previous_period_index
    from covered_by_debt
    window
        trailing_four as ({{ trailing_four_quarters_window('cik, period_grain') }}),
        company_quarters as (partition by cik, period_grain order by period_index)
),

final as (
    select
        period_grain,
        {{ company_period_columns() }},
        operating_cash_flow_usd,
        capex_usd,
        capex_incl_finance_leases_usd,
        free_cash_flow_usd,
        dividends_usd,
        dividends_basis,
        share_repurchases_usd,
        debt_issued_usd,
        debt_repaid_usd,
        short_term_debt_net_change_usd,
        net_debt_issued_usd,
        debt_flows_tagged,
        finance_lease_principal_payments_usd,
        cash_and_securities_usd,
        case
            when previous_period_index = period_index - 1
                then cash_and_securities_usd - previous_cash_and_securities_usd
        end as change_in_cash_and_securities_usd,
        debt_usd,
        debt_basis,
        debt_usd - cash_and_securities_usd as net_debt_usd,
        uses_usd,
        covered_by_operating_cash_usd,
        covered_by_new_debt_usd,
        uses_usd - covered_by_operating_cash_usd - covered_by_new_debt_usd as covered_by_cash_drawdown_usd,
        {{ safe_divide('covered_by_operating_cash_usd', 'uses_usd') }} as operating_cash_share,
        {{ safe_divide('covered_by_new_debt_usd', 'uses_usd') }} as new_debt_share,
        {{ safe_divide('uses_usd - covered_by_operating_cash_usd - covered_by_new_debt_usd', 'uses_usd') }}
            as cash_drawdown_share,
        case when period_grain = 'quarter' then capex_ttm_usd end as capex_ttm_usd,
        case when period_grain = 'quarter' then net_debt_issued_ttm_usd end as net_debt_issued_ttm_usd,
        case
            when period_grain = 'quarter' and net_debt_issued_ttm_usd is not null
                then {{ safe_divide('least(greatest(net_debt_issued_ttm_usd, 0), capex_ttm_usd)', 'capex_ttm_usd') }}
        end as debt_funded_share_of_capex_ttm,
        case
            when
                capex_usd is null or operating_cash_flow_usd is null or dividends_usd is null
                or share_repurchases_usd is null or debt_flows_tagged = 0
                then 'not reported for the period: ' || concat_ws(
                        ', ',
                        case when capex_usd is null then 'capex' end,
                        case when operating_cash_flow_usd is null then 'operating cash flow' end,
                        case when dividends_usd is null then 'dividends' end,
                        case when share_repurchases_usd is null then 'buybacks' end,
                        case when debt_flows_tagged = 0 then 'debt issued or repaid' end
                    )
        end as coverage_missing_reason,
        source,
        source_accession,
        filed_date,
        debt_flows_accession
    from with_history
)

select * from final
