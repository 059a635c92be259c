-- Which XBRL concept each company's metric was read from, for which periods: one row per
-- company, metric, source and concept (or sum of concepts) that supplied a selected value, with
-- the basis (the rule in metric_concepts, or an evidence-backed row of concept_overrides) and
-- that evidence, so a reader sees the choice behind every figure.
with

selected as (
    select * from {{ ref('int_sec_values_selected') }}
    where source != 'earnings_release'
),

resolution as (select * from {{ ref('int_concept_resolution') }}),

used as (
    select
        ticker,
        cik,
        metric,
        source,
        concept,
        count(*) as periods,
        min(period_end) as first_period_end,
        max(period_end) as last_period_end
    from selected
    group by ticker, cik, metric, source, concept
),

used_concepts as (
    select distinct
        ticker,
        metric,
        concept
    from used
),

explanations as (
    select
        used_concepts.ticker,
        used_concepts.metric,
        used_concepts.concept,
        max(resolution.basis) as basis,
        min(resolution.priority) as priority,
        {{ dbt.listagg('resolution.evidence', "' | '", 'order by resolution.concept') }}
            as evidence
    from used_concepts
    inner join resolution
        on
            used_concepts.ticker = resolution.ticker
            and used_concepts.metric = resolution.metric
            and '+' || used_concepts.concept || '+' like '%+' || resolution.concept || '+%'
    group by used_concepts.ticker, used_concepts.metric, used_concepts.concept
),

final as (
    select
        used.ticker,
        used.cik,
        used.metric,
        used.source,
        used.concept,
        explanations.basis,
        cast(explanations.priority as integer) as priority,
        cast(used.periods as bigint) as periods,
        used.first_period_end,
        used.last_period_end,
        explanations.evidence
    from used
    inner join explanations
        on
            used.ticker = explanations.ticker
            and used.metric = explanations.metric
            and used.concept = explanations.concept
)

select * from final
