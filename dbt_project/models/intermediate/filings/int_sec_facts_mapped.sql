-- Both SEC sources in one fact stream. Company facts win: a filing fact is used only for a
-- (company, metric, period) that company facts do not report at all.
with

company_facts as (
    select * from {{ ref('int_company_facts_mapped') }}
),

filing_facts as (
    select * from {{ ref('int_filing_facts_mapped') }}
),

company_fact_periods as (
    select distinct
        cik,
        metric,
        period_type,
        period_start,
        period_end
    from company_facts
),

filing_only as (
    select filing_facts.*
    from filing_facts
    left join company_fact_periods
        on
            filing_facts.cik = company_fact_periods.cik
            and filing_facts.metric = company_fact_periods.metric
            and filing_facts.period_type = company_fact_periods.period_type
            and filing_facts.period_end = company_fact_periods.period_end
            and (
                filing_facts.period_start = company_fact_periods.period_start
                or (filing_facts.period_start is null and company_fact_periods.period_start is null)
            )
    where company_fact_periods.cik is null
),

final as (
    select
        ticker,
        cik,
        metric,
        priority,
        taxonomy,
        concept,
        period_type,
        period_start,
        period_end,
        duration_months,
        fiscal_year,
        fiscal_quarter,
        reported_value,
        accession_number,
        filing_form,
        filed_date,
        filed_date as filing_order_date,
        'company_facts' as source
    from company_facts

    union all

    select
        ticker,
        cik,
        metric,
        priority,
        taxonomy,
        concept,
        period_type,
        period_start,
        period_end,
        duration_months,
        fiscal_year,
        fiscal_quarter,
        reported_value,
        accession_number,
        filing_form,
        filed_date,
        filing_order_date,
        'filing' as source
    from filing_only
)

select * from final
