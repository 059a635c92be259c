with

source as (
    select * from {{ source('sec', 'sec_filings') }}
),

final as (
    select
        accession_number,
        ticker,
        cast(cik as bigint) as cik,
        filing_form,
        document_type,
        cast(document_period_end as date) as document_period_end,
        fiscal_year_focus,
        fiscal_period_focus,
        cast(filed_date as date) as filed_date,
        source_document,
        source_url,
        facts,
        facts_with_errors,
        inconsistent_duplicates,
        extract_error
    from source
)

select * from final
