-- Company x segment x fiscal year, straight from the annual reports' twelve-month values (a
-- year exists even where its quarters do not), with the quarter sums for the sum gate.
with

values_selected as (
    select * from {{ ref('int_segment_values_selected') }}
    where duration_months = 12 and fiscal_quarter = 4
),

quarterly as (
    select * from {{ ref('fct_cloud_segment_revenue') }}
),

company_revenue as (
    select * from {{ ref('int_financial_values_selected') }}
    where
        metric = 'revenue' and period_type = 'duration' and duration_months = 12
        and fiscal_quarter = 4
),

annual as (
    select
        ticker,
        cik,
        segment_id,
        fiscal_year,
        max(segment_label) as segment_label,
        max(segment_kind) as segment_kind,
        max(case when metric = 'revenue' then value_usd end) as revenue_usd,
        max(case when metric = 'operating_income' then value_usd end) as operating_income_usd,
        max(case when metric = 'revenue' then accession_number end) as revenue_accession,
        max(case when metric = 'operating_income' then accession_number end) as oi_accession,
        max(case when metric = 'revenue' then source_url end) as revenue_url,
        max(case when metric = 'operating_income' then source_url end) as oi_url,
        max(case when metric = 'revenue' then filed_date end) as revenue_filed_date,
        max(case when metric = 'operating_income' then filed_date end) as oi_filed_date,
        max(case when restated then 1 else 0 end) as any_restated,
        max(period_start) as period_start,
        max(period_end) as period_end
    from values_selected
    group by ticker, cik, segment_id, fiscal_year
),

quarter_sums as (
    select
        cik,
        segment,
        fiscal_year,
        count(revenue_usd) as quarters_with_revenue,
        sum(revenue_usd) as revenue_quarters_sum_usd
    from quarterly
    group by cik, segment, fiscal_year
),

final as (
    select
        current_year.ticker,
        current_year.cik,
        current_year.segment_id as segment,
        current_year.segment_label,
        current_year.segment_kind,
        cast(current_year.fiscal_year as integer) as fiscal_year,
        current_year.period_start,
        current_year.period_end,
        {{ calendar_year('current_year.period_start', 'current_year.period_end') }}
            as calendar_year,
        current_year.revenue_usd,
        current_year.operating_income_usd,
        100 * ({{ safe_divide('current_year.revenue_usd', 'prior_year.revenue_usd') }} - 1)
            as revenue_yoy_pct,
        company_revenue.value_usd as company_revenue_usd,
        {{ safe_divide('current_year.revenue_usd', 'company_revenue.value_usd') }}
            as share_of_company_revenue,
        coalesce(quarter_sums.quarters_with_revenue, 0) as quarters_with_revenue,
        quarter_sums.revenue_quarters_sum_usd,
        current_year.any_restated = 1 as restated,
        coalesce(current_year.revenue_accession, current_year.oi_accession) as source_accession,
        coalesce(current_year.revenue_url, current_year.oi_url) as source_url,
        coalesce(current_year.revenue_filed_date, current_year.oi_filed_date) as filed_date
    from annual as current_year
    left join annual as prior_year
        on
            current_year.cik = prior_year.cik
            and current_year.segment_id = prior_year.segment_id
            and current_year.fiscal_year - 1 = prior_year.fiscal_year
    left join company_revenue
        on
            current_year.cik = company_revenue.cik
            and current_year.fiscal_year = company_revenue.fiscal_year
    left join quarter_sums
        on
            current_year.cik = quarter_sums.cik
            and current_year.segment_id = quarter_sums.segment
            and current_year.fiscal_year = quarter_sums.fiscal_year
)

select * from final
