with

source as (
    select * from {{ source('sec', 'sec_submissions') }}
),

deduplicated as (
    select
        cast(cik as bigint) as cik,
        entity_name,
        accession_number,
        form as filing_form,
        filing_date as filed_date,
        report_date,
        primary_document,
        row_number() over (
            partition by accession_number order by filing_date desc
        ) as duplicate_rank
    from source
),

final as (
    select
        cik,
        entity_name,
        accession_number,
        filing_form,
        filed_date,
        report_date,
        primary_document
    from deduplicated
    where duplicate_rank = 1
)

select * from final
