-- Filing facts with their filing's metadata: form, filing date (submissions index, else the
-- full submission's header), the document's period end and the EDGAR URL.
with

facts as (select * from {{ ref('stg_sec__filing_facts') }}),

filings as (select * from {{ ref('stg_sec__filings') }}),

submissions as (select * from {{ ref('stg_sec__submissions') }}),

companies as (select * from {{ ref('companies') }}),

final as (
    select
        companies.ticker,
        companies.cik,
        companies.fiscal_year_end_month,
        facts.accession_number,
        filings.filing_form,
        coalesce(submissions.filed_date, filings.filed_date) as filed_date,
        -- orders filings where the filing date is unknown: a filing follows its period end
        coalesce(submissions.filed_date, filings.filed_date, filings.document_period_end)
            as filing_order_date,
        filings.document_period_end,
        filings.source_url,
        facts.taxonomy,
        facts.concept,
        facts.dimensions,
        facts.dimension_count,
        facts.period_start,
        facts.period_end,
        facts.unit,
        facts.reported_value
    from facts
    inner join filings
        on facts.accession_number = filings.accession_number
    inner join companies
        on filings.ticker = companies.ticker
    left join submissions
        on facts.accession_number = submissions.accession_number
)

select * from final
