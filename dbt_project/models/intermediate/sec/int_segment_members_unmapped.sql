-- Segment members the filings report revenue or operating income for, on a segment axis
-- (us-gaap:StatementBusinessSegmentsAxis, or a consolidation-items axis with a filer member),
-- that segment_map does not know (or knows only for other periods). Listed, never dropped
-- silently: a warn-severity test shows them in the data-quality report.
with

facts as (select * from {{ ref('int_segment_facts_shaped') }}),

segment_map as (select * from {{ ref('segment_map') }}),

concept_map as (
    select distinct
        ticker,
        taxonomy,
        concept
    from {{ ref('concept_map') }}
    where metric = 'revenue'
),

candidates as (
    select facts.*
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
