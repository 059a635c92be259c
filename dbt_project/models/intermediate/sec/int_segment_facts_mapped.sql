-- Segment revenue and operating income facts whose member segment_map maps to a tracked
-- canonical segment (int_segment_facts_shaped), with their fiscal periods, and the
-- earnings-release figures release_label_map assigns to a segment (int_release_facts_mapped:
-- taxonomy and concept 'release', no axis or member) for a (company, segment, metric, period)
-- that no filing's XBRL reports. Every filing's and release's value stays here, so original
-- (pre-restatement) values remain queryable.
with

facts as (
    select * from {{ ref('int_segment_facts_shaped') }}
    where segment_kind != 'not_tracked'
),

segments as (
    select distinct
        ticker,
        segment_id,
        segment_label,
        segment_kind
    from {{ ref('segment_map') }}
    where segment_id is not null and segment_kind != 'not_tracked'
),

releases as (
    select
        releases.ticker,
        releases.cik,
        releases.segment_id,
        segments.segment_label,
        segments.segment_kind,
        releases.metric,
        1 as priority,
        'release' as taxonomy,
        'release' as concept,
        cast(null as varchar) as axis,
        cast(null as varchar) as member,
        cast(null as varchar) as dimensions,
        releases.period_start,
        releases.period_end,
        releases.fiscal_year_end_month,
        releases.reported_value,
        releases.accession_number,
        '8-K' as filing_form,
        releases.filed_date,
        releases.filed_date as filing_order_date,
        releases.source_url
    from {{ ref('int_release_facts_mapped') }} as releases
    inner join segments
        on releases.ticker = segments.ticker and releases.segment_id = segments.segment_id
),

xbrl as (
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
        fiscal_year_end_month,
        reported_value,
        accession_number,
        filing_form,
        filed_date,
        filing_order_date,
        source_url
    from facts
),

combined as (
    select
        *,
        max(case when taxonomy != 'release' then 1 else 0 end) over (
            partition by cik, segment_id, metric, period_start, period_end
        ) as in_xbrl
    from (
        select * from xbrl
        union all
        select * from releases
    ) as all_sources
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
    from combined
    where taxonomy != 'release' or in_xbrl = 0
)

select * from final
