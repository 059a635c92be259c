-- Gate (reconciliation): wherever an earnings release and XBRL report the same company, metric
-- (or segment metric) and period, they agree within the release's rounding: half a million for
-- a period XBRL reports as is, one million for a quarter XBRL derives from year-to-date values
-- (two rounded figures are subtracted). Every release's print is compared, not only the one
-- that is published, so a misread cell fails here even when XBRL wins. A known difference is
-- accepted only where release_reconciliation_exceptions names it with its evidence. Returns the
-- offending comparisons.
{{ config(severity='error') }}

with

releases as (
    select * from {{ ref('int_release_facts_mapped') }}
),

exceptions as (
    select * from {{ ref('release_reconciliation_exceptions') }}
),

xbrl as (
    select
        cik,
        metric,
        cast(null as varchar) as segment_id,
        period_start,
        period_end,
        value_usd,
        accession_number,
        'reported' as xbrl_method
    from {{ ref('int_sec_values_selected') }}
    where source != 'earnings_release'

    union all

    select
        cik,
        metric,
        segment_id,
        period_start,
        period_end,
        value_usd,
        accession_number,
        'reported' as xbrl_method
    from {{ ref('int_segment_values_selected') }}
    where concept != 'release'

    union all

    select
        cik,
        metric,
        cast(null as varchar) as segment_id,
        period_start,
        period_end,
        value_usd,
        accession_number,
        value_method as xbrl_method
    from {{ ref('int_sec_quarters_discretized') }}
    where source != 'earnings_release' and value_method = 'derived_from_ytd'
),

compared as (
    select
        releases.ticker,
        releases.metric,
        releases.segment_id,
        releases.period_start,
        releases.period_end,
        releases.accession_number as release_accession,
        releases.reported_value as release_value,
        xbrl.accession_number as xbrl_accession,
        xbrl.value_usd as xbrl_value,
        xbrl.xbrl_method,
        case when xbrl.xbrl_method = 'derived_from_ytd' then 1000000 else 500000 end
            as tolerance_usd
    from releases
    inner join xbrl
        on
            releases.cik = xbrl.cik
            and releases.metric = xbrl.metric
            and coalesce(releases.segment_id, '') = coalesce(xbrl.segment_id, '')
            and releases.period_start = xbrl.period_start
            and releases.period_end = xbrl.period_end
)

select compared.*
from compared
left join exceptions
    on
        compared.ticker = exceptions.ticker
        and compared.metric = exceptions.metric
        and coalesce(compared.segment_id, '') = coalesce(exceptions.segment_id, '')
        and compared.period_start = exceptions.period_start
        and compared.period_end = exceptions.period_end
        and compared.release_accession = exceptions.release_accession
where
    abs(compared.release_value - compared.xbrl_value) > compared.tolerance_usd
    and exceptions.ticker is null
