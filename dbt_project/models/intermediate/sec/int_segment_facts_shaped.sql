-- Dimensional USD duration facts of the filings with the segment member their context names,
-- the metric they report and the canonical segment segment_map gives that member (null when it
-- knows none for the period). Accepted context shapes (STACK-NOTES): the segment member alone;
-- the segment member plus ConsolidationItemsAxis = us-gaap:OperatingSegmentsMember (ASU 2023-07
-- style, and Microsoft's 2015 filings on the us-gaap axis); a product line on
-- srt:ProductOrServiceAxis. Any other multi-dimension context is a sub-split and is left out.

with

facts as (
    select * from {{ ref('int_filing_facts_enriched') }}
    where unit = 'USD' and dimension_count in (1, 2) and period_start is not null
),

concept_map as (
    select * from {{ ref('int_concept_resolution') }}
    where metric = 'revenue'
),

segment_map as (select * from {{ ref('segment_map') }}),

shaped as (
    select
        *,
        case
            when dimension_count = 1 then dimensions
            when
                {{ dbt.split_part('dimensions', "'|'", 1) }} in (
                    'srt:ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember',
                    'us-gaap:ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember'
                )
                then {{ dbt.split_part('dimensions', "'|'", 2) }}
            when
                {{ dbt.split_part('dimensions', "'|'", 2) }} in (
                    'srt:ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember',
                    'us-gaap:ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember'
                )
                then {{ dbt.split_part('dimensions', "'|'", 1) }}
        end as segment_dimension
    from facts
),

with_member as (
    select
        *,
        {{ axis_and_member('segment_dimension') }}
    from shaped
    where segment_dimension is not null
),

with_metric as (
    select
        with_member.*,
        case
            when concept_map.concept is not null then 'revenue'
            when with_member.taxonomy = 'us-gaap' and with_member.concept = 'OperatingIncomeLoss'
                then 'operating_income'
        end as metric,
        coalesce(concept_map.priority, 1) as priority
    from with_member
    {{ concept_map_join('with_member', 'left') }}
),

final as (
    select
        with_metric.*,
        segment_map.ticker is not null as is_mapped,
        segment_map.segment_id,
        segment_map.segment_label,
        segment_map.segment_kind
    from with_metric
    left join segment_map
        on
            with_metric.ticker = segment_map.ticker
            and with_metric.axis = segment_map.axis
            and with_metric.member = segment_map.member
            and with_metric.period_end between segment_map.valid_from and segment_map.valid_to
    where with_metric.metric is not null
)

select * from final
