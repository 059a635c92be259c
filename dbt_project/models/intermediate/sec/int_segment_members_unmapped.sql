-- Segment members the filings report revenue or operating income for, on a segment axis
-- (us-gaap:StatementBusinessSegmentsAxis, or a consolidation-items axis with a filer member),
-- that segment_map does not know (or knows only for other periods). Listed, never dropped
-- silently: a warn-severity test shows them in the data-quality report, and one reported for a
-- recent period (within var recent_segment_months of the company's newest segment period:
-- is_recent) stops the publish, since a renamed segment would otherwise vanish from the marts.
with

newest as (
    select
        ticker,
        max(period_end) as newest_period_end
    from {{ ref('int_segment_facts_shaped') }}
    group by ticker
),

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

members as (
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
),

final as (
    select
        members.*,
        members.last_period_end
        >= {{ dbt.dateadd('month', -var('recent_segment_months'), 'newest.newest_period_end') }}
            as is_recent
    from members
    inner join newest
        on members.ticker = newest.ticker
)

select * from final
