-- One value per (company, metric, period): the latest filing wins, flagged `restated` when an
-- earlier filing reported a value that differs beyond rounding; where two mapped concepts
-- cover the same period, the concept_map priority decides. Input: both SEC sources
-- (int_sec_facts_mapped: company facts, and filing facts for periods company facts lack).
with

mapped as (
    select * from {{ ref('int_sec_facts_mapped') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by cik, metric, concept, period_start, period_end
            order by coalesce(filing_order_date, filed_date) desc, accession_number desc
        ) as filing_rank,
        count(*) over (
            partition by cik, metric, concept, period_start, period_end
        ) as times_reported
    from mapped
),

latest as (
    select * from ranked
    where filing_rank = 1
),

restatements as (
    select
        latest.cik,
        latest.metric,
        latest.concept,
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
            and latest.metric = earlier.metric
            and latest.concept = earlier.concept
            and latest.period_end = earlier.period_end
            and (
                latest.period_start = earlier.period_start
                or (latest.period_start is null and earlier.period_start is null)
            )
            and earlier.filing_rank > 1
    group by latest.cik, latest.metric, latest.concept, latest.period_start, latest.period_end
),

with_flags as (
    select
        latest.*,
        coalesce(restatements.is_restated = 1, false) as restated,
        row_number() over (
            partition by latest.cik, latest.metric, latest.period_start, latest.period_end
            order by latest.priority
        ) as priority_rank
    from latest
    left join restatements
        on
            latest.cik = restatements.cik
            and latest.metric = restatements.metric
            and latest.concept = restatements.concept
            and latest.period_end = restatements.period_end
            and (
                latest.period_start = restatements.period_start
                or (latest.period_start is null and restatements.period_start is null)
            )
),

final as (
    select
        ticker,
        cik,
        metric,
        concept,
        period_type,
        period_start,
        period_end,
        duration_months,
        fiscal_year,
        fiscal_quarter,
        cast(reported_value as decimal(38, 2)) as value_usd,
        times_reported,
        restated,
        accession_number,
        filing_form,
        filed_date,
        coalesce(source, 'company_facts') as source
    from with_flags
    where priority_rank = 1
)

select * from final
