-- Segment members the filings report revenue or operating income for, on a segment axis
-- (us-gaap:StatementBusinessSegmentsAxis, or a consolidation-items axis with a filer member),
-- that segment_map does not know (or knows only for other periods). Listed, never dropped
-- silently: a warn-severity test shows them in the data-quality report.
with

facts as (
    select * from {{ ref('int_filing_facts_enriched') }}
    where unit = 'USD' and dimension_count in (1, 2) and period_start is not null
),

segment_map as (
    select * from {{ ref('segment_map') }}
),

concept_map as (
    select distinct
        ticker,
        taxonomy,
        concept
    from {{ ref('concept_map') }}
    where metric = 'revenue'
),

pairs as (
    select
        facts.ticker,
        facts.accession_number,
        facts.period_end,
        facts.concept,
        {{ dbt.split_part('facts.dimensions', "'|'", 1) }} as first_dimension,
        {{ dbt.split_part('facts.dimensions', "'|'", 2) }} as second_dimension,
        facts.dimension_count
    from facts
    left join concept_map
        on
            facts.ticker = concept_map.ticker
            and facts.taxonomy = concept_map.taxonomy
            and facts.concept = concept_map.concept
    where
        concept_map.concept is not null
        or (facts.taxonomy = 'us-gaap' and facts.concept = 'OperatingIncomeLoss')
),

segment_dimensions as (
    select
        ticker,
        accession_number,
        period_end,
        concept,
        case
            when dimension_count = 1 then first_dimension
            when second_dimension like '%ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember'
                then first_dimension
            when first_dimension like '%ConsolidationItemsAxis=us-gaap:OperatingSegmentsMember'
                then second_dimension
        end as segment_dimension
    from pairs
),

candidates as (
    select
        ticker,
        accession_number,
        period_end,
        concept,
        {{ dbt.split_part('segment_dimension', "'='", 1) }} as axis,
        {{ dbt.split_part('segment_dimension', "'='", 2) }} as member
    from segment_dimensions
    where segment_dimension is not null
),

unmapped as (
    select candidates.*
    from candidates
    left join segment_map
        on
            candidates.ticker = segment_map.ticker
            and candidates.axis = segment_map.axis
            and candidates.member = segment_map.member
            and candidates.period_end between segment_map.valid_from and segment_map.valid_to
    where
        segment_map.ticker is null
        and (
            candidates.axis = 'us-gaap:StatementBusinessSegmentsAxis'
            or (
                candidates.axis like '%:ConsolidationItemsAxis'
                and candidates.member not like 'us-gaap:%'
                and candidates.member not like 'srt:%'
            )
        )
),

final as (
    select
        ticker,
        axis,
        member,
        count(*) as facts,
        min(period_end) as first_period_end,
        max(period_end) as last_period_end,
        {{ dbt.listagg('distinct accession_number', "', '", 'order by accession_number') }} as accessions
    from unmapped
    group by ticker, axis, member
)

select * from final
