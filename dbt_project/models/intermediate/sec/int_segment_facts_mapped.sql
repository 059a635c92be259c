-- Segment revenue and operating income facts whose member segment_map maps to a tracked
-- canonical segment (int_segment_facts_shaped), with their fiscal periods. Every filing's value
-- stays here, so original (pre-restatement) values remain queryable.
with

facts as (
    select * from {{ ref('int_segment_facts_shaped') }}
    where segment_kind != 'not_tracked'
),

final as (
    select
        ticker,
        cik,
        segment_id,
        segment_label,
        segment_kind,
        metric,
        priority,
        taxonomy,
        concept,
        axis,
        member,
        dimensions,
        period_start,
        period_end,
        {{ fiscal_period_columns('period_start', 'period_end', 'fiscal_year_end_month') }},
        reported_value,
        accession_number,
        filing_form,
        filed_date,
        filing_order_date,
        source_url
    from facts
)

select * from final
