with

source as (
    select * from {{ source('sec', 'sec_filing_facts') }}
),

final as (
    select
        accession_number,
        ticker,
        cast(cik as bigint) as cik,
        taxonomy,
        concept,
        coalesce(dimensions, '') as dimensions,
        dimension_count,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        unit,
        cast(value as decimal(38, 6)) as reported_value,
        decimals
    from source
    where value is not null and parse_error is null
)

select * from final
