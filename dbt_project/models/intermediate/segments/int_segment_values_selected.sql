-- One value per company, segment, metric and period: the latest filing wins (a later filing's
-- recast of prior periods replaces the original, which stays in int_segment_facts_mapped);
-- restated is true when an earlier filing reported a value that differs beyond rounding.
with

mapped as (
    select * from {{ ref('int_segment_facts_mapped') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by cik, segment_id, metric, period_start, period_end
            order by filing_order_date desc, priority asc, accession_number desc
        ) as filing_rank
    from mapped
),

-- a grouped count, not count(distinct) over a window: Spark has no distinct window functions
filings_reporting as (
    select
        cik,
        segment_id,
        metric,
        period_start,
        period_end,
        count(distinct accession_number) as times_reported
    from mapped
    group by cik, segment_id, metric, period_start, period_end
),

latest as (
    select * from ranked
    where filing_rank = 1
),

restatements as (
    select
        latest.cik,
        latest.segment_id,
        latest.metric,
        latest.period_start,
        latest.period_end,
        max(
            case
                when {{ is_restatement('earlier.reported_value', 'latest.reported_value') }}
                    then 1
                else 0
            end
        ) as is_restated
    from latest
    inner join ranked as earlier
        on
            latest.cik = earlier.cik
            and latest.segment_id = earlier.segment_id
            and latest.metric = earlier.metric
            and latest.period_start = earlier.period_start
            and latest.period_end = earlier.period_end
            and earlier.filing_rank > 1
    group by latest.cik, latest.segment_id, latest.metric, latest.period_start, latest.period_end
),

final as (
    select
        latest.ticker,
        latest.cik,
        latest.segment_id,
        latest.segment_label,
        latest.segment_kind,
        latest.metric,
        latest.concept,
        latest.member,
        latest.period_start,
        latest.period_end,
        latest.duration_months,
        latest.fiscal_year,
        latest.fiscal_quarter,
        cast(latest.reported_value as decimal(38, 2)) as value_usd,
        filings_reporting.times_reported,
        coalesce(restatements.is_restated = 1, false) as restated,
        latest.accession_number,
        latest.filing_form,
        latest.filed_date,
        latest.source_url
    from latest
    inner join filings_reporting
        on
            latest.cik = filings_reporting.cik
            and latest.segment_id = filings_reporting.segment_id
            and latest.metric = filings_reporting.metric
            and latest.period_start = filings_reporting.period_start
            and latest.period_end = filings_reporting.period_end
    left join restatements
        on
            latest.cik = restatements.cik
            and latest.segment_id = restatements.segment_id
            and latest.metric = restatements.metric
            and latest.period_start = restatements.period_start
            and latest.period_end = restatements.period_end
)

select * from final
