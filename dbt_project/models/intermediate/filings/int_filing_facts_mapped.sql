-- Non-dimensional USD filing facts of the concepts concept_map assigns to a metric: the same
-- shape as int_company_facts_mapped, so both SEC sources feed one fact table.
with

facts as (
    select * from {{ ref('int_filing_facts_enriched') }}
),

concept_map as (
    select * from {{ ref('concept_map') }}
),

mapped as (
    select
        facts.*,
        concept_map.metric,
        concept_map.priority
    from facts
    inner join concept_map
        on
            facts.ticker = concept_map.ticker
            and facts.taxonomy = concept_map.taxonomy
            and facts.concept = concept_map.concept
            and facts.period_end between concept_map.valid_from and concept_map.valid_to
    where facts.unit = 'USD' and facts.dimension_count = 0
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
        filed_date,
        filing_order_date
    from mapped
)

select * from final
