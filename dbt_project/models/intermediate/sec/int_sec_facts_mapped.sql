-- The SEC sources as one stream of USD facts of the concepts concept_map assigns to a metric,
-- each with its own fiscal period derived from its start/end dates (never from the filing's
-- fy/fp). Company facts win (macro keep_first_source): a (non-dimensional) filing fact is kept
-- only for a (company, metric, period) that company facts do not report at all; an
-- earnings-release figure (int_release_facts_mapped, source earnings_release, taxonomy and
-- concept 'release') only for one that neither XBRL source reports. Among releases the latest filed wins downstream
-- (int_sec_values_selected: one series per company, metric and period).
with

companies as (select * from {{ ref('companies') }}),

concept_map as (select * from {{ ref('int_concept_resolution') }}),

company_facts as (
    select * from {{ ref('stg_sec__company_facts') }}
    where unit = 'USD'
),

filing_facts as (
    select * from {{ ref('int_filing_facts_enriched') }}
    where unit = 'USD' and dimension_count = 0
),

sourced as (
    select
        companies.ticker,
        company_facts.cik,
        companies.fiscal_year_end_month,
        company_facts.taxonomy,
        company_facts.concept,
        company_facts.period_start,
        company_facts.period_end,
        company_facts.reported_value,
        company_facts.accession_number,
        company_facts.filing_form,
        company_facts.filed_date,
        company_facts.filed_date as filing_order_date,
        'company_facts' as source
    from company_facts
    inner join companies
        on company_facts.cik = companies.cik

    union all

    select
        ticker,
        cik,
        fiscal_year_end_month,
        taxonomy,
        concept,
        period_start,
        period_end,
        reported_value,
        accession_number,
        filing_form,
        filed_date,
        filing_order_date,
        'filing' as source
    from filing_facts
),

releases as (
    select * from {{ ref('int_release_facts_mapped') }}
    where segment_id is null
),

xbrl_mapped as (
    select
        sourced.*,
        concept_map.metric,
        concept_map.priority,
        concept_map.addends,
        row_number() over (
            partition by
                sourced.source, sourced.accession_number, sourced.cik, concept_map.metric,
                sourced.taxonomy, sourced.concept, sourced.period_start, sourced.period_end
            order by sourced.reported_value
        ) as fact_copy
    from sourced
    {{ concept_map_join('sourced') }}
),

-- one value per filing, metric, priority and period: a single concept as is, addends summed
-- only where the filing reports every one of them for the period
xbrl_combined as (
    select
        ticker,
        cik,
        fiscal_year_end_month,
        min(taxonomy) as taxonomy,
        {{ dbt.listagg('concept', "'+'", 'order by concept') }} as concept,
        period_start,
        period_end,
        sum(reported_value) as reported_value,
        accession_number,
        filing_form,
        filed_date,
        filing_order_date,
        source,
        metric,
        priority
    from xbrl_mapped
    where fact_copy = 1
    group by
        ticker, cik, fiscal_year_end_month, period_start, period_end, accession_number,
        filing_form, filed_date, filing_order_date, source, metric, priority, addends
    having count(*) = addends
),

mapped as (
    select * from xbrl_combined

    union all

    select
        ticker,
        cik,
        fiscal_year_end_month,
        'release' as taxonomy,
        'release' as concept,
        period_start,
        period_end,
        reported_value,
        accession_number,
        '8-K' as filing_form,
        filed_date,
        filed_date as filing_order_date,
        'earnings_release' as source,
        metric,
        1 as priority
    from releases
),

first_source as (
    {{ keep_first_source('mapped', ['cik', 'metric', 'period_start', 'period_end']) }}
),

final as (
    select
        ticker,
        cik,
        metric,
        priority,
        taxonomy,
        concept,
        period_start,
        period_end,
        {{ fiscal_period_columns('period_start', 'period_end', 'fiscal_year_end_month') }},
        reported_value,
        accession_number,
        filing_form,
        filed_date,
        filing_order_date,
        source
    from first_source
)

select * from final
