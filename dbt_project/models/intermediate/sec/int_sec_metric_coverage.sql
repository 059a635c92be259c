-- Every fiscal quarter of each company's coverage window (its first to its last quarter with a
-- capex, revenue or operating-cash-flow value) for each core metric: the quarter's value, or
-- the reason it has none. not_in_source: no filing, company fact or release we hold reports the
-- metric for a period ending in that quarter; ytd_chain_incomplete: a year-to-date value ends
-- there but the one before it is missing, so no quarter can be derived. A gap neither explains
-- (a three-month value in the stream that never became a quarter) has no reason and blocks the
-- publish (assert_every_coverage_gap_has_a_reason).
{%- set core_metrics = ['capex', 'revenue', 'operating_cash_flow'] %}
{%- set core_list = "('" ~ core_metrics | join("', '") ~ "')" %}

with

quarters as (
    select * from {{ ref('int_sec_quarters_discretized') }}
    where metric in {{ core_list }}
),

durations as (
    select * from {{ ref('int_sec_values_selected') }}
    where metric in {{ core_list }} and period_type = 'duration'
),

companies as (select * from {{ ref('companies') }}),

metrics as (
    select distinct metric from {{ ref('metric_concepts') }}
    where metric in {{ core_list }}
),

windows as (
    select
        cik,
        min(fiscal_year * 4 + fiscal_quarter - 1) as first_index,
        max(fiscal_year * 4 + fiscal_quarter - 1) as last_index
    from quarters
    group by cik
),

bounds as (
    select
        min(first_index) as first_index,
        max(last_index) as last_index
    from windows
),

spine as (
    {{ integer_series('quarter_index', 'first_index', 'last_index', 'bounds') }}
),

expected as (
    select
        companies.ticker,
        windows.cik,
        metrics.metric,
        cast(floor(spine.quarter_index / 4) as integer) as fiscal_year,
        cast(mod(spine.quarter_index, 4) + 1 as integer) as fiscal_quarter
    from windows
    inner join companies
        on windows.cik = companies.cik
    inner join spine
        on spine.quarter_index between windows.first_index and windows.last_index
    cross join metrics
),

reported_periods as (
    select
        cik,
        metric,
        fiscal_year,
        fiscal_quarter,
        max(case when duration_months = 3 then 1 else 0 end) as has_three_months,
        max(case when duration_months > 3 then 1 else 0 end) as has_year_to_date
    from durations
    group by cik, metric, fiscal_year, fiscal_quarter
),

final as (
    select
        expected.ticker,
        expected.cik,
        expected.metric,
        expected.fiscal_year,
        expected.fiscal_quarter,
        quarters.value_usd,
        quarters.value_method,
        quarters.source,
        case
            when quarters.cik is not null then null
            when reported_periods.cik is null then 'not_in_source'
            when
                reported_periods.has_three_months = 0
                and reported_periods.has_year_to_date = 1
                then 'ytd_chain_incomplete'
        end as gap_reason
    from expected
    left join quarters
        on
            expected.cik = quarters.cik
            and expected.metric = quarters.metric
            and expected.fiscal_year = quarters.fiscal_year
            and expected.fiscal_quarter = quarters.fiscal_quarter
    left join reported_periods
        on
            expected.cik = reported_periods.cik
            and expected.metric = reported_periods.metric
            and expected.fiscal_year = reported_periods.fiscal_year
            and expected.fiscal_quarter = reported_periods.fiscal_quarter
)

select * from final
