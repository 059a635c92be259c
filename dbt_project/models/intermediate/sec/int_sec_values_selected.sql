-- One value per (company, metric, period): per concept the latest filing wins (macro
-- select_latest_values: restated when an earlier filing reported a value that differs beyond
-- rounding); where two mapped concepts cover the same period, the concept resolution priority
-- decides (macro select_latest_per_period).
{%- set series = ['cik', 'metric', 'concept', 'period_start', 'period_end'] %}
{%- set latest_first = 'filing_order_date desc, accession_number desc' %}

with

prioritised as (
    {{ select_latest_per_period(ref('int_sec_facts_mapped'), series, latest_first, 'priority') }}
),

final as (
    select
        ticker,
        cik,
        metric,
        concept,
        period_type,
        period_start,
        period_end,
        duration_months,
        fiscal_year,
        fiscal_quarter,
        cast(reported_value as decimal(38, 2)) as value_usd,
        times_reported,
        restated,
        accession_number,
        filing_form,
        filed_date,
        source
    from prioritised
)

select * from final
