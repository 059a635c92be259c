-- Dimensional USD facts of segment revenue and operating income, mapped to canonical segments.
-- Accepted context shapes (STACK-NOTES): the segment member alone; the segment member plus
-- ConsolidationItemsAxis = us-gaap:OperatingSegmentsMember (ASU 2023-07 style, and Microsoft's
-- 2015 filings on the us-gaap axis); a product line on srt:ProductOrServiceAxis. Any other
-- multi-dimension context is a sub-split and is not used. Every filing's value stays here, so
-- original (pre-restatement) values remain queryable.
with

facts as (
    select * from {{ ref('int_filing_facts_enriched') }}
    where unit = 'USD' and dimension_count in (1, 2) and period_start is not null
),

concept_map as (
    select * from {{ ref('concept_map') }}
    where metric = 'revenue'
),

segment_map as (
    select * from {{ ref('segment_map') }}
    where segment_kind != 'not_tracked'
),

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

with_metric as (
    select
        shaped.*,
        {{ dbt.split_part('shaped.segment_dimension', "'='", 1) }} as axis,
        {{ dbt.split_part('shaped.segment_dimension', "'='", 2) }} as member,
        case
            when concept_map.concept is not null then 'revenue'
            when shaped.taxonomy = 'us-gaap' and shaped.concept = 'OperatingIncomeLoss'
                then 'operating_income'
        end as metric,
        coalesce(concept_map.priority, 1) as priority
    from shaped
    left join concept_map
        on
            shaped.ticker = concept_map.ticker
            and shaped.taxonomy = concept_map.taxonomy
            and shaped.concept = concept_map.concept
            and shaped.period_end between concept_map.valid_from and concept_map.valid_to
    where shaped.segment_dimension is not null
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
