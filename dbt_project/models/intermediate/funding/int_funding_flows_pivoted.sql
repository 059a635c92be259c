-- Company x fiscal period (grains `quarter` and `year`, like int_sec_financials_pivoted): the
-- financing and commitment figures the funding marts add to int_sec_financials_pivoted, one
-- wide row per period. Flows: debt issued and repaid (long-term; short-term and commercial
-- paper gross or net) and the tagged effects of useful-life changes, as discrete quarters
-- (non-dimensional metrics from int_sec_quarters_discretized; dimensional ones from
-- int_dimensional_values_selected through the same discretize_quarters) and annual-report
-- twelve-month values. Balances at the period end: finance-lease liabilities, RPO and its
-- near-term share, purchase obligations, leases not yet commenced, gross servers-and-network
-- PP&E. Each figure keeps its own accession and filed date.
{%- set flow_metrics = ['finance_lease_principal_payments', 'debt_issued', 'debt_repaid',
    'short_term_debt_issued', 'short_term_debt_repaid', 'short_term_debt_net', 'useful_life_depreciation_effect', 'useful_life_operating_expense_effect',
    'useful_life_operating_income_effect', 'useful_life_net_income_effect'] %}
{%- set balance_metrics = ['finance_lease_liabilities', 'remaining_performance_obligation',
    'rpo_near_term_share', 'purchase_obligations', 'leases_not_commenced', 'servers_network_gross_ppe'] %}
{%- set flow_list = "('" ~ flow_metrics | join("', '") ~ "')" %}
{%- set balance_list = "('" ~ balance_metrics | join("', '") ~ "')" %}
{%- set value_columns = ['cik', 'fiscal_year', 'metric', 'value_usd', 'accession_number', 'filed_date'] %}

with

sec_quarters as (
    select * from {{ ref('int_sec_quarters_discretized') }}
    where metric in {{ flow_list }}
),

sec_values as (
    select * from {{ ref('int_sec_values_selected') }}
    where metric in {{ flow_list }} or metric in {{ balance_list }}
),

dimensional_values as (
    select * from {{ ref('int_dimensional_values_selected') }}
),

dimensional_quarters as (
    {{ discretize_quarters_xbrl_first(ref('int_dimensional_values_selected'), series=['cik', 'metric'],
                                      carried=['ticker', 'source']) }}
),

dimensional_flow_quarters as (
    select * from dimensional_quarters
    where metric in {{ flow_list }}
),

flow_quarters as (
    {{ union_all_columns(['sec_quarters', 'dimensional_flow_quarters'],
                         ['cik', 'fiscal_year', 'fiscal_quarter', 'metric', 'value_usd',
                          'accession_number', 'filed_date', 'value_method']) }}
),

all_values as (
    {{ union_all_columns(['sec_values', 'dimensional_values'],
                         ['cik', 'metric', 'period_type', 'duration_months', 'fiscal_year',
                          'fiscal_quarter', 'period_end', 'value_usd', 'accession_number',
                          'filed_date']) }}
),

flow_years as (
    select * from all_values
    where {{ where_annual_value(flow_list) }}
),

flows as (
    {{ union_period_grains('flow_quarters', 'flow_years', value_columns) }}
),

flows_pivoted as (
    select
        period_grain,
        cik,
        fiscal_year,
        fiscal_quarter,
        {{ pivot_metric_values(flow_metrics) }}
        count(
            case when metric in (
                        'debt_issued', 'debt_repaid', 'short_term_debt_issued',
                        'short_term_debt_repaid', 'short_term_debt_net'
                    ) then 1
            end
        ) as debt_flows_tagged
    from flows
    group by period_grain, cik, fiscal_year, fiscal_quarter
),

balances_pivoted as (
    select
        cik,
        period_end,
        {{ pivot_metric_values(balance_metrics) }}
        count(*) as balance_figures
    from all_values
    where period_type = 'instant' and metric in {{ balance_list }}
    group by cik, period_end
),

financials as (select * from {{ ref('int_sec_financials_pivoted') }}),

final as (
    select
        financials.*,
        case
            when financials.period_grain = 'quarter' then financials.fiscal_year * 4 + financials.fiscal_quarter
            else financials.fiscal_year
        end as period_index,
        {% for metric in flow_metrics -%}
            flows_pivoted.{{ metric }}_usd,
            flows_pivoted.{{ metric }}_accession,
        {% endfor -%}
        coalesce(flows_pivoted.debt_flows_tagged, 0) as debt_flows_tagged,
        {% for metric in balance_metrics -%}
            balances_pivoted.{{ metric }}_usd,
            balances_pivoted.{{ metric }}_accession,
            balances_pivoted.{{ metric }}_filed_date,
        {% endfor -%}
        coalesce(balances_pivoted.balance_figures, 0) as balance_figures
    from financials
    left join flows_pivoted
        on
            financials.period_grain = flows_pivoted.period_grain
            and financials.cik = flows_pivoted.cik
            and financials.fiscal_year = flows_pivoted.fiscal_year
            and coalesce(financials.fiscal_quarter, 0) = coalesce(flows_pivoted.fiscal_quarter, 0)
    left join balances_pivoted
        on
            financials.cik = balances_pivoted.cik
            and financials.period_end = balances_pivoted.period_end
)

select * from final
