-- Company x segment x fiscal quarter: segment revenue and operating income from the filings'
-- dimensional XBRL, YoY growth and share of company revenue; every row names its filing.
with

quarters as (
    select * from {{ ref('int_segment_quarters_discretized') }}
),

company_revenue as (
    select * from {{ ref('int_financial_quarters_discretized') }}
    where metric = 'revenue'
),

pivoted as (
    select
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
    from quarters
    group by ticker, cik, segment_id, fiscal_year, fiscal_quarter
),

final as (
    select
        current_quarter.ticker,
        current_quarter.cik,
        current_quarter.segment_id as segment,
        current_quarter.segment_label,
        current_quarter.segment_kind,
        cast(current_quarter.fiscal_year as integer) as fiscal_year,
        cast(current_quarter.fiscal_quarter as integer) as fiscal_quarter,
        current_quarter.period_start,
        current_quarter.period_end,
        {{ calendar_year('current_quarter.period_start', 'current_quarter.period_end') }}
            as calendar_year,
        {{ calendar_quarter('current_quarter.period_start', 'current_quarter.period_end') }}
            as calendar_quarter,
        current_quarter.revenue_usd,
        current_quarter.operating_income_usd,
        current_quarter.revenue_method,
        100 * ({{ safe_divide('current_quarter.revenue_usd', 'prior_year.revenue_usd') }} - 1)
            as revenue_yoy_pct,
        company_revenue.value_usd as company_revenue_usd,
        {{ safe_divide('current_quarter.revenue_usd', 'company_revenue.value_usd') }}
            as share_of_company_revenue,
        current_quarter.any_restated = 1 as restated,
        coalesce(current_quarter.revenue_accession, current_quarter.oi_accession)
            as source_accession,
        coalesce(current_quarter.revenue_url, current_quarter.oi_url) as source_url,
        coalesce(current_quarter.revenue_filed_date, current_quarter.oi_filed_date) as filed_date
    from pivoted as current_quarter
    left join pivoted as prior_year
        on
            current_quarter.cik = prior_year.cik
            and current_quarter.segment_id = prior_year.segment_id
            and current_quarter.fiscal_year - 1 = prior_year.fiscal_year
            and current_quarter.fiscal_quarter = prior_year.fiscal_quarter
    left join company_revenue
        on
            current_quarter.cik = company_revenue.cik
            and current_quarter.fiscal_year = company_revenue.fiscal_year
            and current_quarter.fiscal_quarter = company_revenue.fiscal_quarter
)

select * from final
