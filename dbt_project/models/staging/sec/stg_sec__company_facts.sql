with

source as (
    select * from {{ source('sec', 'sec_company_facts') }}
),

renamed as (
    select
        cast(cik as bigint) as cik,
        taxonomy,
        concept,
        unit,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(val as decimal(38, 6)) as reported_value,
        accn as accession_number,
        fy as filing_fiscal_year,
        fp as filing_fiscal_period,
        form as filing_form,
        cast(filed as date) as filed_date,
        frame as sec_frame
    from source
),

-- the same fact can appear twice in one document (once per frame); keep one
deduplicated as (
    select
        *,
        row_number() over (
            partition by
                cik, taxonomy, concept, unit, period_start, period_end,
                accession_number, reported_value
            order by sec_frame nulls last
        ) as duplicate_rank
    from renamed
),

final as (
    select
        cik,
        taxonomy,
        concept,
        unit,
        period_start,
        period_end,
        reported_value,
        accession_number,
        filing_fiscal_year,
        filing_fiscal_period,
        filing_form,
        filed_date,
        sec_frame
    from deduplicated
    where duplicate_rank = 1
)

select * from final
