{#- The XBRL figures a release figure is compared with (int_release_reconciliation), one union
    over `sources`: (relation, segment_id expression, method expression) each; release values
    and discretized quarters reported as is (already among the values) are left out. -#}
{% macro xbrl_figures_to_reconcile(sources) %}
{%- for relation, segment_id, method in sources %}
select
    cik,
    metric,
    {{ segment_id }} as segment_id,
    period_start,
    period_end,
    value_usd,
    accession_number,
    {{ method }} as xbrl_method
from {{ relation }}
where
    coalesce(source, '') != 'earnings_release'
    and {{ method }} in ('reported', 'derived_from_ytd')
{{ 'union all' if not loop.last }}
{%- endfor %}
{% endmacro %}

{#- The join condition of two rows about the same figure: the same company (`company_column`),
    metric, segment (none on both sides counts as the same) and period. -#}
{% macro same_figure(left, right, company_column='cik') -%}
{{ left }}.{{ company_column }} = {{ right }}.{{ company_column }}
            and {{ left }}.metric = {{ right }}.metric
            and coalesce({{ left }}.segment_id, '') = coalesce({{ right }}.segment_id, '')
            and {{ left }}.period_start = {{ right }}.period_start
            and {{ left }}.period_end = {{ right }}.period_end
{%- endmacro %}
