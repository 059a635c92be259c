-- USD facts of the concepts that concept_map assigns to a metric, with each fact's own
-- fiscal period derived from its start/end dates (never from the filing's fy/fp).
with

facts as (
    select * from {{ ref('stg_sec__company_facts') }}
),

companies as (
    select * from {{ ref('companies') }}
),

concept_map as (
    select * from {{ ref('concept_map') }}
),

mapped as (
    select
        companies.ticker,
        facts.cik,
        concept_map.metric,
        concept_map.priority,
        facts.taxonomy,
        facts.concept,
        facts.period_start,
        facts.period_end,
        facts.reported_value,
        facts.accession_number,
        facts.filing_form,
        facts.filed_date,
        companies.fiscal_year_end_month
    from facts
    inner join companies
        on facts.cik = companies.cik
    inner join concept_map
        on
            companies.ticker = concept_map.ticker
            and facts.taxonomy = concept_map.taxonomy
            and facts.concept = concept_map.concept
            and facts.period_end between concept_map.valid_from and concept_map.valid_to
    where facts.unit = 'USD'
),

final as (
    select
        ticker,
        cik,
        metric,
        priority,
        taxonomy,
        concept,
        case when period_start is null then 'instant' else 'duration' end as period_type,
        period_start,
        period_end,
        case
            when period_start is not null
                then {{ duration_months('period_start', 'period_end') }}
        end as duration_months,
        cast({{ fiscal_year('period_end', 'fiscal_year_end_month') }} as integer) as fiscal_year,
        {{ fiscal_quarter('period_end', 'fiscal_year_end_month') }} as fiscal_quarter,
        reported_value,
        accession_number,
        filing_form,
        filed_date
    from mapped
)

select * from final
