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

source_coverage as (
    select
        cik,
        source,
        count(*) as quarters,
        min(fiscal_year * 10 + fiscal_quarter) as first_quarter,
        max(fiscal_year * 10 + fiscal_quarter) as last_quarter
    from capex_quarters
    group by cik, source
),

source_ranges as (
    select
        *,
        source
        || ' FY' || cast(cast(floor(first_quarter / 10) as integer) as varchar)
        || ' Q' || cast(mod(first_quarter, 10) as varchar)
        || ' to FY' || cast(cast(floor(last_quarter / 10) as integer) as varchar)
        || ' Q' || cast(mod(last_quarter, 10) as varchar)
        || ' (' || cast(quarters as varchar) || ')' as source_range
    from source_coverage
),

coverage_by_source as (
    select
        cik,
        sum(case when source = 'company_facts' then quarters else 0 end)
            as capex_quarters_from_company_facts,
        sum(case when source = 'filing' then quarters else 0 end) as capex_quarters_from_filings,
        sum(case when source = 'earnings_release' then quarters else 0 end)
            as capex_quarters_from_releases,
        {{ dbt.listagg('source_range', "'; '", 'order by first_quarter, source') }}
            as capex_quarters_by_source
    from source_ranges
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
        capex_coverage.last_capex_quarter_end,
        cast(coalesce(coverage_by_source.capex_quarters_from_company_facts, 0) as bigint)
            as capex_quarters_from_company_facts,
        cast(coalesce(coverage_by_source.capex_quarters_from_filings, 0) as bigint)
            as capex_quarters_from_filings,
        cast(coalesce(coverage_by_source.capex_quarters_from_releases, 0) as bigint)
            as capex_quarters_from_releases,
        coverage_by_source.capex_quarters_by_source
    from companies
    left join filing_index
        on companies.cik = filing_index.cik
    left join facts_coverage
        on companies.cik = facts_coverage.cik
    left join capex_coverage
        on companies.cik = capex_coverage.cik
    left join coverage_by_source
        on companies.cik = coverage_by_source.cik
)

select * from final
