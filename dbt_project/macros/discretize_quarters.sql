{#- Discrete fiscal quarters of a flow metric, for any series grain (company facts: cik, metric;
    segments: cik, segment_id, metric). A reported three-month value is used as is; otherwise the
    quarter is derived from the year-to-date chain (Q2 = H1 - Q1, Q3 = 9M - H1, Q4 = FY - 9M),
    only where both year-to-date values exist and start on the same day. A quarter without them
    is absent, never invented. `carried` columns are passed through from the value row.
    `same_basis_only`: a quarter is derived only from two values on the same basis, i.e. not when
    one of them was restated (re-cast by a later filing) and the other was not (Microsoft's
    FY2025 10-K re-casts FY2024 segments: FY2024 re-cast minus a nine months as first reported
    is no quarter); such a quarter is absent. -#}
{% macro discretize_quarters(values_relation, series, carried, same_basis_only=false) %}
{%- set keys = series | join(', ') -%}
{%- set passed = (series + carried) -%}
{%- set output = passed + ['fiscal_year', 'fiscal_quarter', 'period_start', 'period_end',
    'value_usd', 'value_method', 'accession_number', 'filed_date', 'restated'] -%}
with

durations as (
    select *
    from {{ values_relation }}
    where duration_months in (3, 6, 9, 12)
),

year_to_date as (
    select
        *,
        row_number() over (
            partition by {{ keys }}, fiscal_year, fiscal_quarter
            order by filed_date desc, period_start asc
        ) as ytd_rank
    from durations
    where duration_months = 3 * fiscal_quarter
),

ytd_chain as (
    select
        *,
        lag(fiscal_quarter) over chain as previous_quarter,
        lag(value_usd) over chain as previous_ytd_value_usd,
        lag(period_end) over chain as previous_period_end,
        lag(period_start) over chain as previous_period_start,
        lag(restated) over chain as previous_restated
    from year_to_date
    where ytd_rank = 1
    window chain as (partition by {{ keys }}, fiscal_year order by fiscal_quarter)
),

derived as (
    select
        {% for column in passed %}{{ column }},
        {% endfor %}fiscal_year,
        fiscal_quarter,
        cast({{ dbt.dateadd('day', 1, 'previous_period_end') }} as date) as period_start,
        period_end,
        value_usd - previous_ytd_value_usd as value_usd,
        'derived_from_ytd' as value_method,
        accession_number,
        filed_date,
        (restated or previous_restated) as restated
    from ytd_chain
    where
        fiscal_quarter > 1
        and previous_quarter = fiscal_quarter - 1
        and previous_period_start = period_start
        {% if same_basis_only %}and restated = previous_restated{% endif %}
),

reported as (
    select
        {% for column in passed %}{{ column }},
        {% endfor %}fiscal_year,
        fiscal_quarter,
        period_start,
        period_end,
        value_usd,
        'reported_quarter' as value_method,
        accession_number,
        filed_date,
        restated,
        row_number() over (
            partition by {{ keys }}, fiscal_year, fiscal_quarter
            order by filed_date desc, period_start asc
        ) as reported_rank
    from durations
    where duration_months = 3
),

final as (
    select {{ output | join(', ') }}
    from reported
    where reported_rank = 1

    union all

    select {% for column in output %}derived.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from derived
    {{ without_quarters_of('derived', 'reported', series) | indent(4) }}
)

select * from final
{% endmacro %}

{#- discretize_quarters for a stream of XBRL and earnings-release values (column `source`): the
    two are discretized apart and XBRL wins per quarter, so a quarter XBRL gives (reported or
    derived from its year-to-date chain) never takes a release figure, and a release's
    year-to-date value never completes an XBRL chain. `source` must be among `carried`. -#}
{% macro discretize_quarters_xbrl_first(values_relation, series, carried, same_basis_only=false) %}
{%- set is_release = "coalesce(source, '') = 'earnings_release'" -%}
with

xbrl_quarters as (
    {{ discretize_quarters(
        '(select * from ' ~ values_relation ~ ' where not ' ~ is_release ~ ') as xbrl_values',
        series, carried, same_basis_only) }}
),

release_quarters as (
    {{ discretize_quarters(
        '(select * from ' ~ values_relation ~ ' where ' ~ is_release ~ ') as release_values',
        series, carried, same_basis_only) }}
)

select * from xbrl_quarters

union all

select release_quarters.*
from release_quarters
{{ without_quarters_of('release_quarters', 'xbrl_quarters', series) }}
{% endmacro %}

{#- The join and filter that keep the rows of `relation` (the query's from) whose series
    (`series` columns) and fiscal quarter `other` has no row for: a quarter `other` already
    gives is not taken again. -#}
{% macro without_quarters_of(relation, other, series) -%}
left join {{ other }}
    on
        {% for column in series %}{{ relation }}.{{ column }} = {{ other }}.{{ column }}
        and {% endfor %}{{ relation }}.fiscal_year = {{ other }}.fiscal_year
        and {{ relation }}.fiscal_quarter = {{ other }}.fiscal_quarter
where {{ other }}.{{ series[0] }} is null
{%- endmacro %}
