-- One row per company in the universe, with what the warehouse holds for it.
with

capex_quarters as (
    select * from {{ ref('int_sec_financials_pivoted') }}
    where period_grain = 'quarter' and capex_usd is not null
),

companies as (select * from {{ ref('companies') }}),

submissions as (select * from {{ ref('stg_sec__submissions') }}),

facts as (select * from {{ ref('stg_sec__company_facts') }}),

filing_index as (
    select
        cik,
        max(entity_name) as sec_entity_name,
        max(case when filing_form in ('10-K', '10-Q') then filed_date end)
            as latest_periodic_filing_date
    from submissions
    group by cik
),

facts_coverage as (
    select
        cik,
        count(*) as company_facts_rows,
        max(filed_date) as company_facts_newest_filed
    from facts
    group by cik
),

capex_coverage as (
    select
        cik,
        count(*) as quarters_with_capex,
        min(period_end) as first_capex_quarter_end,
        max(period_end) as last_capex_quarter_end
    from capex_quarters
    group by cik
),

final as (
    select
        companies.ticker,
        companies.cik,
        companies.company_name,
        filing_index.sec_entity_name,
        companies.fiscal_year_end_month,
        companies.is_hyperscaler,
        coalesce(facts_coverage.company_facts_rows, 0) > 0 as has_company_facts,
        facts_coverage.company_facts_newest_filed,
        filing_index.latest_periodic_filing_date,
        coalesce(capex_coverage.quarters_with_capex, 0) as quarters_with_capex,
        capex_coverage.first_capex_quarter_end,
        capex_coverage.last_capex_quarter_end
    from companies
    left join filing_index
        on companies.cik = filing_index.cik
    left join facts_coverage
        on companies.cik = facts_coverage.cik
    left join capex_coverage
        on companies.cik = capex_coverage.cik
)

select * from final
