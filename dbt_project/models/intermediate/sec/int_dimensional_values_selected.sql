-- Dimensional filing facts the seed dimensional_concepts assigns to a metric: a concept on
-- exactly one axis and member (member '*': any member of the axis, for typed axes such as the
-- RPO timing axis), within the row's validity dates on the fact's period end. Company facts
-- never carry them. Per series the latest filing wins; where one period carries several members
-- of a typed axis, the first (earliest start date) is kept, so each (company, metric, period) has
-- one value (macro select_latest_per_period). Same columns as int_sec_values_selected, plus
-- the member and the unit (USD, or pure for a share).
{%- set series = ['cik', 'metric', 'concept', 'member', 'period_start', 'period_end'] %}
{%- set latest_first = 'filing_order_date desc, accession_number desc' %}

with

facts as (
    select
        *,
        {{ axis_and_member('dimensions') }}
    from {{ ref('int_filing_facts_enriched') }}
    where dimension_count = 1 and unit in ('USD', 'pure')
),

dimensional_concepts as (select * from {{ ref('dimensional_concepts') }}),

mapped as (
    select
        facts.ticker,
        facts.cik,
        dimensional_concepts.metric,
        facts.taxonomy,
        facts.concept,
        facts.member,
        facts.unit,
        facts.period_start,
        facts.period_end,
        {{ fiscal_period_columns('facts.period_start', 'facts.period_end', 'facts.fiscal_year_end_month') }},
        facts.reported_value,
        facts.accession_number,
        facts.filing_form,
        facts.filed_date,
        facts.filing_order_date
    from facts
    inner join dimensional_concepts
        on
            facts.ticker = dimensional_concepts.ticker
            and facts.taxonomy = dimensional_concepts.taxonomy
            and facts.concept = dimensional_concepts.concept
            and facts.axis = dimensional_concepts.axis
            and dimensional_concepts.member in ('*', facts.member)
            and facts.period_end between dimensional_concepts.valid_from and dimensional_concepts.valid_to
),

first_member as (
    {{ select_latest_per_period('mapped', series, latest_first, 'member') }}
),

final as (
    select
        {{ selected_value_columns(['ticker', 'cik', 'metric', 'concept', 'member', 'unit', 'period_type'],
                                  scale=6) }},
        'filing' as source
    from first_member
)

select * from final
