-- Company x segment x fiscal period, one wide row for both grains the marts publish: `quarter`
-- (int_segment_quarters_discretized) and `year` (the annual reports' twelve-month values, so a
-- year exists even where its quarters do not). Revenue and operating income, YoY growth, share
-- of the company's revenue of the same period and the quarter sums of each year;
-- fct_cloud_segment_revenue and its annual twin are projections of it.
{%- set value_columns = ['ticker', 'cik', 'segment_id', 'segment_label', 'segment_kind', 'fiscal_year',
    'metric', 'value_usd', 'accession_number', 'source_url', 'filed_date', 'restated', 'period_start',
    'period_end'] %}

with

quarters as (select * from {{ ref('int_segment_quarters_discretized') }}),

annual_values as (
    select * from {{ ref('int_segment_values_selected') }}
    where duration_months = 12 and fiscal_quarter = 4
),

company_financials as (
    select * from {{ ref('int_sec_financials_pivoted') }}
    where revenue_usd is not null
),

segment_values as (
    {{ union_period_grains('quarters', 'annual_values', value_columns) }}
),

pivoted as (
    select
        period_grain,
        ticker,
        cik,
        segment_id,
        fiscal_year,
        fiscal_quarter,
        max(segment_label) as segment_label,
        max(segment_kind) as segment_kind,
        max(case when metric = 'revenue' then value_usd end) as revenue_usd,
        max(case when metric = 'operating_income' then value_usd end) as operating_income_usd,
        max(case when metric = 'revenue' then value_method end) as revenue_method,
        max(case when metric = 'revenue' then accession_number end) as revenue_accession,
        max(case when metric = 'operating_income' then accession_number end) as oi_accession,
        max(case when metric = 'revenue' then source_url end) as revenue_url,
        max(case when metric = 'operating_income' then source_url end) as oi_url,
        max(case when metric = 'revenue' then filed_date end) as revenue_filed_date,
        max(case when metric = 'operating_income' then filed_date end) as oi_filed_date,
        max(case when restated then 1 else 0 end) as any_restated,
        max(period_start) as period_start,
        max(period_end) as period_end
    from segment_values
    group by period_grain, ticker, cik, segment_id, fiscal_year, fiscal_quarter
),

quarter_sums as (
    select
        cik,
        segment_id,
        fiscal_year,
        count(revenue_usd) as quarters_with_revenue,
        sum(revenue_usd) as revenue_quarters_sum_usd
    from pivoted
    where period_grain = 'quarter'
    group by cik, segment_id, fiscal_year
),

final as (
    select
        current_period.ticker,
        current_period.cik,
        current_period.period_grain,
        current_period.segment_id as segment,
        current_period.segment_label,
        current_period.segment_kind,
        {{ period_label_columns('current_period') }},
        current_period.revenue_usd,
        current_period.operating_income_usd,
        current_period.revenue_method,
        100 * ({{ safe_divide('current_period.revenue_usd', 'prior_year.revenue_usd') }} - 1)
            as revenue_yoy_pct,
        company_financials.revenue_usd as company_revenue_usd,
        {{ safe_divide('current_period.revenue_usd', 'company_financials.revenue_usd') }}
            as share_of_company_revenue,
        case
            when current_period.period_grain = 'year'
                then coalesce(quarter_sums.quarters_with_revenue, 0)
        end as quarters_with_revenue,
        quarter_sums.revenue_quarters_sum_usd,
        current_period.any_restated = 1 as restated,
        coalesce(current_period.revenue_accession, current_period.oi_accession) as source_accession,
        coalesce(current_period.revenue_url, current_period.oi_url) as source_url,
        coalesce(current_period.revenue_filed_date, current_period.oi_filed_date) as filed_date
    from pivoted as current_period
    left join pivoted as prior_year
        on
            current_period.period_grain = prior_year.period_grain
            and current_period.cik = prior_year.cik
            and current_period.segment_id = prior_year.segment_id
            and current_period.fiscal_year - 1 = prior_year.fiscal_year
            and coalesce(current_period.fiscal_quarter, 0) = coalesce(prior_year.fiscal_quarter, 0)
    left join company_financials
        on
            current_period.period_grain = company_financials.period_grain
            and current_period.cik = company_financials.cik
            and current_period.fiscal_year = company_financials.fiscal_year
            and coalesce(current_period.fiscal_quarter, 0) = coalesce(company_financials.fiscal_quarter, 0)
    left join quarter_sums
        on
            current_period.period_grain = 'year'
            and current_period.cik = quarter_sums.cik
            and current_period.segment_id = quarter_sums.segment_id
            and current_period.fiscal_year = quarter_sums.fiscal_year
)

select * from final
