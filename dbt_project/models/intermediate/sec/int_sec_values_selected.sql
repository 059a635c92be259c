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
        {{ selected_value_columns(['ticker', 'cik', 'metric', 'concept', 'period_type']) }},
        source
    from prioritised
)

select * from final
