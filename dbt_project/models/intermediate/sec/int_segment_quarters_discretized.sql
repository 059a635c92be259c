-- Discrete fiscal quarters of segment revenue and operating income (see macro
-- discretize_quarters): a reported three-month value (what 10-Qs show for segments) as is,
-- otherwise derived from the year-to-date chain only where both values exist. XBRL and
-- earnings-release figures (concept 'release') are discretized apart and XBRL wins per quarter.
{%- set series = ['cik', 'segment_id', 'metric'] %}
{%- set carried = ['ticker', 'segment_label', 'segment_kind', 'source_url'] %}
with

xbrl_values as (
    select * from {{ ref('int_segment_values_selected') }}
    where coalesce(concept, '') != 'release'
),

release_values as (
    select * from {{ ref('int_segment_values_selected') }}
    where concept = 'release'
),

xbrl_quarters as (
    {{ discretize_quarters('xbrl_values', series=series, carried=carried) }}
),

release_quarters as (
    {{ discretize_quarters('release_values', series=series, carried=carried) }}
),

final as (
    select * from xbrl_quarters

    union all

    select release_quarters.*
    from release_quarters
    left join xbrl_quarters
        on
            release_quarters.cik = xbrl_quarters.cik
            and release_quarters.segment_id = xbrl_quarters.segment_id
            and release_quarters.metric = xbrl_quarters.metric
            and release_quarters.fiscal_year = xbrl_quarters.fiscal_year
            and release_quarters.fiscal_quarter = xbrl_quarters.fiscal_quarter
    where xbrl_quarters.cik is null
)

select * from final
