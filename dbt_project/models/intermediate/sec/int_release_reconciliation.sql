-- Every comparison of an earnings-release figure with XBRL for the same company, metric (or
-- segment metric) and period, and its outcome. Every release's print is compared, not only the
-- one that is published, so a misread cell shows here even when XBRL wins. Tolerance: the
-- release's rounding, half a million for a period XBRL reports as is, one million for a quarter
-- XBRL derives from year-to-date values (two rounded figures are subtracted). A known
-- difference is accepted only where release_reconciliation_exceptions names it with its
-- evidence. outcome: agrees, accepted_difference (with the evidence), disagrees (the gate
-- assert_releases_reconcile_with_xbrl fails on these).
{%- set xbrl_sources = [
    (ref('int_sec_values_selected'), 'cast(null as varchar)', "'reported'"),
    (ref('int_segment_values_selected'), 'segment_id', "'reported'"),
    (ref('int_sec_quarters_discretized'), 'cast(null as varchar)', 'value_method'),
    (ref('int_segment_quarters_discretized'), 'segment_id', 'value_method'),
] %}

with

releases as (
    select * from {{ ref('int_release_facts_mapped') }}
),

exceptions as (
    select * from {{ ref('release_reconciliation_exceptions') }}
),

xbrl as (
    {{ xbrl_figures_to_reconcile(xbrl_sources) }}
),

compared as (
    select
        releases.ticker,
        releases.metric,
        releases.segment_id,
        releases.period_start,
        releases.period_end,
        releases.accession_number as release_accession,
        releases.filed_date as release_filed_date,
        releases.row_label as release_row_label,
        releases.reported_value as release_value_usd,
        xbrl.accession_number as xbrl_accession,
        xbrl.value_usd as xbrl_value_usd,
        xbrl.xbrl_method,
        releases.reported_value - xbrl.value_usd as difference_usd,
        case when xbrl.xbrl_method = 'derived_from_ytd' then 1000000 else 500000 end
            as tolerance_usd
    from releases
    inner join xbrl
        on
            {{ same_figure('releases', 'xbrl') }}
),

final as (
    select
        compared.*,
        case
            when abs(compared.difference_usd) <= compared.tolerance_usd then 'agrees'
            when exceptions.ticker is not null then 'accepted_difference'
            else 'disagrees'
        end as outcome,
        exceptions.evidence as exception_evidence
    from compared
    left join exceptions
        on
            {{ same_figure('compared', 'exceptions', company_column='ticker') }}
            and compared.release_accession = exceptions.release_accession
)

select * from final
