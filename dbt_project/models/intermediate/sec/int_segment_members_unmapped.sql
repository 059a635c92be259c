-- Segment members the filings report revenue or operating income for, on a segment axis
-- (us-gaap:StatementBusinessSegmentsAxis, or a consolidation-items axis with a filer member),
-- that segment_map does not know (or knows only for other periods). Listed, never dropped
-- silently: a warn-severity test shows them in the data-quality report.
with

unmapped as (
    select * from {{ ref('int_segment_facts_shaped') }}
    where
        not is_mapped
        and (
            axis = 'us-gaap:StatementBusinessSegmentsAxis'
            or (
                axis like '%:ConsolidationItemsAxis'
                and member not like 'us-gaap:%'
                and member not like 'srt:%'
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
