-- Segment revenue and operating income facts (int_segment_facts_shaped), mapped to canonical
-- segments through segment_map. Every filing's value stays here, so original
-- (pre-restatement) values remain queryable.
with

facts as (select * from {{ ref('int_segment_facts_shaped') }}),

concept_map as (
    select * from {{ ref('concept_map') }}
    where metric = 'revenue'
),

segment_map as (
    select * from {{ ref('segment_map') }}
    where segment_kind != 'not_tracked'
),

with_metric as (
    select
        facts.*,
        case
            when concept_map.concept is not null then 'revenue'
            when facts.taxonomy = 'us-gaap' and facts.concept = 'OperatingIncomeLoss'
                then 'operating_income'
        end as metric,
        coalesce(concept_map.priority, 1) as priority
    from facts
    left join concept_map
        on
            facts.ticker = concept_map.ticker
            and facts.taxonomy = concept_map.taxonomy
            and facts.concept = concept_map.concept
            and facts.period_end between concept_map.valid_from and concept_map.valid_to
),

final as (
    select
        with_metric.ticker,
        with_metric.cik,
        segment_map.segment_id,
        segment_map.segment_label,
        segment_map.segment_kind,
        with_metric.metric,
        with_metric.priority,
        with_metric.taxonomy,
        with_metric.concept,
        with_metric.axis,
        with_metric.member,
        with_metric.dimensions,
        with_metric.period_start,
        with_metric.period_end,
        {{ fiscal_period_columns(
            'with_metric.period_start', 'with_metric.period_end', 'with_metric.fiscal_year_end_month'
        ) }},
        with_metric.reported_value,
        with_metric.accession_number,
        with_metric.filing_form,
        with_metric.filed_date,
        with_metric.filing_order_date,
        with_metric.source_url
    from with_metric
    inner join segment_map
        on
            with_metric.ticker = segment_map.ticker
            and with_metric.axis = segment_map.axis
            and with_metric.member = segment_map.member
            and with_metric.period_end between segment_map.valid_from and segment_map.valid_to
    where with_metric.metric is not null
)

select * from final
