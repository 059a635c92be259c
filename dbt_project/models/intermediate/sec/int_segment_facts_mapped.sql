-- Segment revenue and operating income facts whose member segment_map maps to a tracked
-- canonical segment (int_segment_facts_shaped, source filing), with their fiscal periods, and
-- the earnings-release figures release_label_map assigns to a segment (int_release_facts_mapped:
-- source earnings_release, taxonomy and concept 'release', no axis or member) for a (company,
-- segment, metric, period) that no filing's XBRL reports (macro keep_first_source). Every
-- filing's and release's value stays here, so original (pre-restatement) values remain
-- queryable.
{%- set columns = [
    'ticker', 'cik', 'segment_id', 'segment_label', 'segment_kind', 'metric', 'priority',
    'taxonomy', 'concept', 'axis', 'member', 'dimensions', 'period_start', 'period_end',
    'fiscal_year_end_month', 'reported_value', 'accession_number', 'filing_form', 'filed_date',
    'filing_order_date', 'source_url', 'source'] %}

with

facts as (
    select
        *,
        'filing' as source
    from {{ ref('int_segment_facts_shaped') }}
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
        releases.*,
        segments.segment_label,
        segments.segment_kind,
        1 as priority,
        'release' as taxonomy,
        'release' as concept,
        cast(null as varchar) as axis,
        cast(null as varchar) as member,
        cast(null as varchar) as dimensions,
        '8-K' as filing_form,
        releases.filed_date as filing_order_date,
        'earnings_release' as source
    from {{ ref('int_release_facts_mapped') }} as releases
    inner join segments
        on releases.ticker = segments.ticker and releases.segment_id = segments.segment_id
),

combined as (
    select {{ columns | join(', ') }} from facts
    union all
    select {{ columns | join(', ') }} from releases
),

first_source as (
    {{ keep_first_source('combined', ['cik', 'segment_id', 'metric', 'period_start', 'period_end']) }}
),

final as (
    select
        {{ columns | join(',\n        ') }},
        {{ fiscal_period_columns('period_start', 'period_end', 'fiscal_year_end_month') }}
    from first_source
)

select * from final
