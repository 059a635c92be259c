-- Dimensional USD duration facts of the filings with the segment member their context names.
-- Accepted context shapes (STACK-NOTES): the segment member alone; the segment member plus
-- ConsolidationItemsAxis = us-gaap:OperatingSegmentsMember (ASU 2023-07 style, and Microsoft's
-- 2015 filings on the us-gaap axis); a product line on srt:ProductOrServiceAxis. Any other
-- multi-dimension context is a sub-split: its segment_dimension is null.
with

facts as (
    select * from {{ ref('int_filing_facts_enriched') }}
    where unit = 'USD' and dimension_count in (1, 2) and period_start is not null
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

final as (
    select
        *,
        {{ dbt.split_part('segment_dimension', "'='", 1) }} as axis,
        {{ dbt.split_part('segment_dimension', "'='", 2) }} as member
    from shaped
    where segment_dimension is not null
)

select * from final
