-- The XBRL concepts each company's metric is read from. By rule: metric_concepts, one ordered
-- list of candidate concepts per metric (standard us-gaap first, then known extensions), for
-- every company, so a company added to companies.csv alone gets its metrics when it uses
-- standard concepts. By evidence: where concept_overrides holds rows for a company and metric,
-- those rows replace the rule for it, each naming the filing that shows the rule is wrong.
-- Rows of one company, metric and priority are addends, summed per filing and period (Oracle's
-- D&A is Depreciation + AmortizationOfIntangibleAssets); across priorities the lowest wins.
with

companies as (select * from {{ ref('companies') }}),

rule as (select * from {{ ref('metric_concepts') }}),

overrides as (select * from {{ ref('concept_overrides') }}),

overridden as (
    select distinct
        ticker,
        metric
    from overrides
),

from_rule as (
    select
        companies.ticker,
        rule.metric,
        rule.taxonomy,
        rule.concept,
        cast('1900-01-01' as date) as valid_from,
        cast('2999-12-31' as date) as valid_to,
        rule.priority,
        'rule' as basis,
        rule.evidence
    from companies
    cross join rule
    left join overridden
        on companies.ticker = overridden.ticker and rule.metric = overridden.metric
    where overridden.ticker is null
),

from_overrides as (
    select
        ticker,
        metric,
        taxonomy,
        concept,
        valid_from,
        valid_to,
        priority,
        'override' as basis,
        evidence
    from overrides
),

unioned as (
    select * from from_rule
    union all
    select * from from_overrides
),

final as (
    select
        *,
        count(*) over (partition by ticker, metric, priority) as addends
    from unioned
)

select * from final
