-- Gate (reconciliation): where SEC company facts and a landed filing report the same concept,
-- period, unit and accession, the values agree. Both come from the same XBRL, so any gap means
-- an extraction (scale, sign, context) error. Returns the disagreeing facts.
{{ config(severity='error', meta={'dagster': {'ref': {'name': 'stg_sec__filing_facts'}}}) }}

with

company_facts as (
    select * from {{ ref('stg_sec__company_facts') }}
),

filing_facts as (
    select * from {{ ref('stg_sec__filing_facts') }}
    where dimension_count = 0
),

final as (
    select
        filing_facts.ticker,
        filing_facts.accession_number,
        filing_facts.taxonomy,
        filing_facts.concept,
        filing_facts.unit,
        filing_facts.period_start,
        filing_facts.period_end,
        company_facts.reported_value as company_facts_value,
        filing_facts.reported_value as filing_value
    from filing_facts
    inner join company_facts
        on
            filing_facts.accession_number = company_facts.accession_number
            and filing_facts.taxonomy = company_facts.taxonomy
            and filing_facts.concept = company_facts.concept
            and filing_facts.unit = company_facts.unit
            and filing_facts.period_end = company_facts.period_end
            and (
                filing_facts.period_start = company_facts.period_start
                or (filing_facts.period_start is null and company_facts.period_start is null)
            )
    where filing_facts.reported_value != company_facts.reported_value
)

select * from final
