-- One value per company, segment, metric and period: the latest filing wins (macro
-- select_latest_values; a later filing's recast of prior periods replaces the original, which
-- stays in int_segment_facts_mapped); within one filing the concept resolution priority decides.
-- restated is true when an earlier filing reported a value that differs beyond rounding.
{%- set series = ['cik', 'segment_id', 'metric', 'period_start', 'period_end'] %}
{%- set latest_first = 'filing_order_date desc, priority asc, accession_number desc' %}

with

latest as (
    {{ select_latest_values(ref('int_segment_facts_mapped'), series, latest_first) }}
),

final as (
    select
        {{ selected_value_columns(['ticker', 'cik', 'segment_id', 'segment_label', 'segment_kind',
                                   'metric', 'concept', 'member']) }},
        source_url,
        source
    from latest
)

select * from final
