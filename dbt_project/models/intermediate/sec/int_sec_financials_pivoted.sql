-- Company x fiscal period, one wide row for both grains the marts publish: `quarter` (discrete
-- quarters, int_sec_quarters_discretized) and `year` (the annual reports' twelve-month values,
-- so a year exists even where its quarters do not). Flows, balances at the period end, YoY,
-- TTM, ratios and the quarter sums of each year; fct_ai_capex, fct_ai_capex_annual, the funding
-- models and dim_company are projections of it.
{%- set core_metrics = ['capex', 'revenue', 'operating_cash_flow', 'depreciation_amortization'] %}
{%- set sourced_metrics = ['capex', 'revenue', 'operating_cash_flow'] %}
{%- set lease_metrics = ['finance_lease_principal_payments', 'finance_lease_assets_acquired'] %}
{%- set flow_metrics = core_metrics + ['dividends', 'share_repurchases'] + lease_metrics %}
{%- set balance_metrics = ['cash_and_securities', 'cash_and_equivalents', 'marketable_securities',
    'long_term_debt', 'long_term_debt_noncurrent', 'long_term_debt_current'] %}
{%- set value_columns = ['cik', 'fiscal_year', 'metric', 'value_usd', 'accession_number', 'filed_date',
    'source', 'restated', 'period_start', 'period_end'] %}
{%- set core_list = "('" ~ core_metrics | join("', '") ~ "')" %}
{%- set annual_list = "('" ~ flow_metrics | join("', '") ~ "')" %}
{%- set sourced_list = "('" ~ sourced_metrics | join("', '") ~ "')" %}

with

-- the pivot reads the metrics it names and no other
quarters as (select * from {{ ref('int_sec_quarters_discretized') }}),

values_selected as (select * from {{ ref('int_sec_values_selected') }}),

annual_values as (
    select * from values_selected
    where {{ where_annual_value(annual_list) }}
),

companies as (select * from {{ ref('companies') }}),

capex_definitions as (select * from {{ ref('capex_definitions') }}),

capex_coverage as (
    select * from {{ ref('int_sec_metric_coverage') }}
    where metric = 'capex'
),

dividends_not_paid as (
    select * from {{ ref('metrics_not_paid') }}
    where metric = 'dividends'
),

flows as (
    {{ union_period_grains('quarters', 'annual_values', value_columns) }}
),

pivoted as (
    select
        period_grain,
        cik,
        fiscal_year,
        fiscal_quarter,
        {% for metric in flow_metrics -%}
            max(case when metric = '{{ metric }}' then value_usd end) as {{ metric }}_usd,
        {% endfor -%}
        {% for metric in sourced_metrics -%}
            max(case when metric = '{{ metric }}' then accession_number end) as {{ metric }}_accession,
            max(case when metric = '{{ metric }}' then filed_date end) as {{ metric }}_filed_date,
            max(case when metric = '{{ metric }}' then source end) as {{ metric }}_source,
        {% endfor -%}
        max(case when metric = 'capex' then value_method end) as capex_method,
        sum(
            case when metric in {{ sourced_list }} and source != 'earnings_release' then 1 else 0 end
        ) as xbrl_metrics,
        max(case when metric in {{ core_list }} and restated then 1 else 0 end) as any_restated,
        max(case when metric in {{ core_list }} then period_start end) as period_start,
        max(case when metric in {{ core_list }} then period_end end) as period_end
    from flows
    group by period_grain, cik, fiscal_year, fiscal_quarter
),

balances as (
    select
        {% for metric in balance_metrics -%}
            max(case when metric = '{{ metric }}' then value_usd end) as {{ metric }}_usd,
        {% endfor -%}
        cik,
        period_end
    from values_selected
    where period_type = 'instant'
    group by cik, period_end
),

joined as (
    select
        companies.ticker,
        pivoted.period_grain,
        pivoted.cik,
        pivoted.fiscal_year,
        pivoted.fiscal_quarter,
        case
            when pivoted.period_grain = 'quarter' then pivoted.fiscal_year * 4 + pivoted.fiscal_quarter
            else pivoted.fiscal_year
        end as period_index,
        pivoted.period_start,
        pivoted.period_end,
        {% for metric in flow_metrics -%}
            pivoted.{{ metric }}_usd,
        {% endfor -%}
        -- a combined cash + short-term investments concept where the company tags one;
        -- otherwise cash and equivalents plus current marketable securities
        coalesce(
            balances.cash_and_securities_usd,
            balances.cash_and_equivalents_usd + balances.marketable_securities_usd
        ) as cash_and_securities_usd,
        coalesce(
            balances.long_term_debt_usd,
            balances.long_term_debt_noncurrent_usd + balances.long_term_debt_current_usd,
            balances.long_term_debt_noncurrent_usd
        ) as debt_usd,
        case
            when balances.long_term_debt_usd is not null then 'LongTermDebt (incl. current portion)'
            when balances.long_term_debt_current_usd is not null
                then 'LongTermDebtNoncurrent + LongTermDebtCurrent'
            when balances.long_term_debt_noncurrent_usd is not null then 'LongTermDebtNoncurrent only'
        end as debt_basis,
        pivoted.capex_method,
        -- the row's provenance, column by column as before: the first of capex, revenue,
        -- operating cash flow that XBRL reports; a release's only where no XBRL metric is in
        -- the row (so a row's source, accession and filed date never mix the two)
        coalesce(
            case
                when pivoted.capex_source != 'earnings_release'
                    then pivoted.capex_accession
            end,
            case
                when pivoted.revenue_source != 'earnings_release'
                    then pivoted.revenue_accession
            end,
            case
                when pivoted.operating_cash_flow_source != 'earnings_release'
                    then pivoted.operating_cash_flow_accession
            end,
            case
                when pivoted.xbrl_metrics = 0
                    then
                        coalesce(
                            pivoted.capex_accession,
                            pivoted.revenue_accession,
                            pivoted.operating_cash_flow_accession
                        )
            end
        ) as source_accession,
        coalesce(
            case
                when pivoted.capex_source != 'earnings_release'
                    then pivoted.capex_filed_date
            end,
            case
                when pivoted.revenue_source != 'earnings_release'
                    then pivoted.revenue_filed_date
            end,
            case
                when pivoted.operating_cash_flow_source != 'earnings_release'
                    then pivoted.operating_cash_flow_filed_date
            end,
            case
                when pivoted.xbrl_metrics = 0
                    then
                        coalesce(
                            pivoted.capex_filed_date,
                            pivoted.revenue_filed_date,
                            pivoted.operating_cash_flow_filed_date
                        )
            end
        ) as filed_date,
        coalesce(
            case
                when pivoted.capex_source != 'earnings_release'
                    then pivoted.capex_source
            end,
            case
                when pivoted.revenue_source != 'earnings_release'
                    then pivoted.revenue_source
            end,
            case
                when pivoted.operating_cash_flow_source != 'earnings_release'
                    then pivoted.operating_cash_flow_source
            end,
            case
                when pivoted.xbrl_metrics = 0
                    then
                        coalesce(
                            pivoted.capex_source,
                            pivoted.revenue_source,
                            pivoted.operating_cash_flow_source
                        )
            end
        ) as source,
        pivoted.any_restated = 1 as restated
    from pivoted
    inner join companies
        on pivoted.cik = companies.cik
    left join balances
        on
            pivoted.cik = balances.cik
            and pivoted.period_end = balances.period_end
    -- a quarter needs a capex, revenue or cash-flow value; a year any of its four flows
    where
        pivoted.period_grain = 'year'
        or pivoted.capex_usd is not null
        or pivoted.revenue_usd is not null
        or pivoted.operating_cash_flow_usd is not null
),

with_history as (
    select
        joined.*,
        sum(joined.capex_usd) over trailing_four as trailing_capex_sum,
        count(joined.capex_usd) over trailing_four as trailing_capex_quarters,
        min(joined.period_index) over trailing_four as trailing_first_index
    from joined
    window trailing_four as ({{ trailing_four_quarters_window('period_grain, cik') }})
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
    from joined
    where period_grain = 'quarter'
    group by cik, fiscal_year
),

final as (
    select
        current_period.ticker,
        current_period.cik,
        current_period.period_grain,
        {{ period_label_columns('current_period') }},
        current_period.capex_usd,
        current_period.capex_usd + case capex_definitions.finance_lease_component
            when 'finance_lease_assets_acquired' then current_period.finance_lease_assets_acquired_usd
            else current_period.finance_lease_principal_payments_usd
        end as capex_incl_finance_leases_usd,
        capex_definitions.definition as capex_incl_finance_leases_definition,
        case
            when
                current_period.period_grain = 'quarter'
                and current_period.trailing_capex_quarters = 4
                and current_period.trailing_first_index = current_period.period_index - 3
                then current_period.trailing_capex_sum
        end as capex_ttm_usd,
        100 * ({{ safe_divide('current_period.capex_usd', 'prior_year.capex_usd') }} - 1)
            as capex_yoy_pct,
        current_period.revenue_usd,
        current_period.operating_cash_flow_usd,
        current_period.operating_cash_flow_usd - current_period.capex_usd as free_cash_flow_usd,
        current_period.depreciation_amortization_usd,
        current_period.cash_and_securities_usd,
        {{ safe_divide('current_period.capex_usd', 'current_period.revenue_usd') }}
            as capex_to_revenue,
        {{ safe_divide('current_period.capex_usd', 'current_period.operating_cash_flow_usd') }}
            as capex_to_ocf,
        coalesce(
            current_period.dividends_usd,
            case
                when
                    dividends_not_paid.ticker is not null
                    and current_period.operating_cash_flow_usd is not null
                    then 0
            end
        ) as dividends_usd,
        case
            when current_period.dividends_usd is not null then 'reported'
            when
                dividends_not_paid.ticker is not null
                and current_period.operating_cash_flow_usd is not null
                then dividends_not_paid.reason
        end as dividends_basis,
        current_period.share_repurchases_usd,
        current_period.debt_usd,
        current_period.debt_basis,
        current_period.capex_method,
        case
            when current_period.capex_usd is not null then null
            when capex_coverage.gap_reason = 'not_in_source'
                then
                    'capex not in source: no filing, company fact or release held reports '
                    || 'a resolved capex concept for this quarter'
            when capex_coverage.gap_reason = 'ytd_chain_incomplete'
                then 'capex year-to-date chain incomplete: the year-to-date value before it is missing'
            else 'capex not reported: no mapped concept for this period'
        end as missing_reason,
        {% for measure in sourced_metrics -%}
            case
                when current_period.period_grain = 'year'
                    then coalesce(quarter_sums.quarters_with_{{ measure }}, 0)
            end as quarters_with_{{ measure }},
            quarter_sums.{{ measure }}_quarters_sum_usd,
        {% endfor -%}
        current_period.source,
        current_period.source_accession,
        current_period.filed_date,
        current_period.restated
    from with_history as current_period
    left join joined as prior_year
        on
            current_period.period_grain = prior_year.period_grain
            and current_period.cik = prior_year.cik
            and current_period.fiscal_year - 1 = prior_year.fiscal_year
            and coalesce(current_period.fiscal_quarter, 0) = coalesce(prior_year.fiscal_quarter, 0)
    left join quarter_sums
        on
            current_period.period_grain = 'year'
            and current_period.cik = quarter_sums.cik
            and current_period.fiscal_year = quarter_sums.fiscal_year
    left join capex_definitions
        on current_period.ticker = capex_definitions.ticker
    left join capex_coverage
        on
            current_period.period_grain = 'quarter'
            and current_period.cik = capex_coverage.cik
            and current_period.fiscal_year = capex_coverage.fiscal_year
            and current_period.fiscal_quarter = capex_coverage.fiscal_quarter
    left join dividends_not_paid
        on
            current_period.ticker = dividends_not_paid.ticker
            and current_period.period_end
            between dividends_not_paid.valid_from and dividends_not_paid.valid_to
)

select * from final
