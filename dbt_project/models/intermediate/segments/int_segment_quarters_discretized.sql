-- Discrete fiscal quarters of segment revenue and operating income. A reported three-month
-- value (what 10-Qs show for segments) is used as is; otherwise the quarter is derived from the
-- year-to-date chain (Q2 = H1 - Q1, Q3 = 9M - H1, Q4 = FY - 9M) only where both values exist.
-- A quarter without them is absent, never invented.
with

durations as (
    select *
    from {{ ref('int_segment_values_selected') }}
    where duration_months in (3, 6, 9, 12)
),

year_to_date as (
    select
        *,
        row_number() over (
            partition by cik, segment_id, metric, fiscal_year, fiscal_quarter
            order by filed_date desc, period_start asc
        ) as ytd_rank
    from durations
    where duration_months = 3 * fiscal_quarter
),

ytd_chain as (
    select
        *,
        lag(fiscal_quarter) over chain as previous_quarter,
        lag(value_usd) over chain as previous_ytd_value_usd,
        lag(period_end) over chain as previous_period_end,
        lag(period_start) over chain as previous_period_start,
        lag(restated) over chain as previous_restated
    from year_to_date
    where ytd_rank = 1
    window chain as (partition by cik, segment_id, metric, fiscal_year order by fiscal_quarter)
),

derived as (
    select
        ticker,
        cik,
        segment_id,
        segment_label,
        segment_kind,
        metric,
        fiscal_year,
        fiscal_quarter,
        cast({{ dbt.dateadd('day', 1, 'previous_period_end') }} as date) as period_start,
        period_end,
        value_usd - previous_ytd_value_usd as value_usd,
        'derived_from_ytd' as value_method,
        accession_number,
        filed_date,
        source_url,
        (restated or previous_restated) as restated
    from ytd_chain
    where
        fiscal_quarter > 1
        and previous_quarter = fiscal_quarter - 1
        and previous_period_start = period_start
),

reported as (
    select
        ticker,
        cik,
        segment_id,
        segment_label,
        segment_kind,
        metric,
        fiscal_year,
        fiscal_quarter,
        period_start,
        period_end,
        value_usd,
        'reported_quarter' as value_method,
        accession_number,
        filed_date,
        source_url,
        restated,
        row_number() over (
            partition by cik, segment_id, metric, fiscal_year, fiscal_quarter
            order by filed_date desc, period_start asc
        ) as reported_rank
    from durations
    where duration_months = 3
),

final as (
    select
        ticker,
        cik,
        segment_id,
        segment_label,
        segment_kind,
        metric,
        fiscal_year,
        fiscal_quarter,
        period_start,
        period_end,
        value_usd,
        value_method,
        accession_number,
        filed_date,
        source_url,
        restated
    from reported
    where reported_rank = 1

    union all

    select
        derived.ticker,
        derived.cik,
        derived.segment_id,
        derived.segment_label,
        derived.segment_kind,
        derived.metric,
        derived.fiscal_year,
        derived.fiscal_quarter,
        derived.period_start,
        derived.period_end,
        derived.value_usd,
        derived.value_method,
        derived.accession_number,
        derived.filed_date,
        derived.source_url,
        derived.restated
    from derived
    left join reported
        on
            derived.cik = reported.cik
            and derived.segment_id = reported.segment_id
            and derived.metric = reported.metric
            and derived.fiscal_year = reported.fiscal_year
            and derived.fiscal_quarter = reported.fiscal_quarter
    where reported.cik is null
)

select * from final
