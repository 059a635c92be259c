{#- The latest filed value of every series and period: one row per `partition_by` group, the one
    that sorts first by `order_by` (latest filing first, with the model's own tie-breakers),
    with two columns added:
    - times_reported: how many filings (distinct accession numbers) report the group;
    - restated: true when an earlier filing reported a value (`value`) that differs from the
      latest beyond rounding (macro is_restatement).
    Every column of `values_relation` is kept. One statement, so a model can use it as a CTE
    body. Portable: window functions only (Spark has no distinct window functions, hence the
    first-row-per-filing count). -#}
{% macro select_latest_values(values_relation, partition_by, order_by, value='reported_value') %}
{%- set keys = partition_by | join(', ') -%}
select *
from (
    select
        *,
        sum(case when filing_row = 1 then 1 else 0 end) over (partition by {{ keys }})
            as times_reported,
        max(
            case
                when filing_rank > 1 and {{ is_restatement(value, 'latest_value') }} then 1
                else 0
            end
        ) over (partition by {{ keys }}) = 1 as restated
    from (
        select
            *,
            max(case when filing_rank = 1 then {{ value }} end) over (partition by {{ keys }})
                as latest_value
        from (
            select
                *,
                row_number() over (partition by {{ keys }} order by {{ order_by }}) as filing_rank,
                row_number() over (
                    partition by {{ keys }}, accession_number order by {{ order_by }}
                ) as filing_row
            from {{ values_relation }}
        ) as ranked
    ) as with_latest
) as flagged
where filing_rank = 1
{% endmacro %}

{#- select_latest_values per series, then one row per company, metric and period: the first by
    `period_order` (int_sec_values_selected: the concept resolution priority; dimensional facts:
    the member). -#}
{% macro select_latest_per_period(values_relation, partition_by, order_by, period_order) %}
select *
from (
    select
        *,
        row_number() over (
            partition by cik, metric, period_start, period_end order by {{ period_order }}
        ) as period_rank
    from (
        {{ select_latest_values(values_relation, partition_by, order_by) | indent(8) }}
    ) as latest
) as ranked
where period_rank = 1
{% endmacro %}

{#- The columns of a selected value: `series_columns` (what the value is of), then its period, the
    value (as decimal(38, `scale`), value_usd), how many filings reported it and whether it was
    restated (select_latest_values), and the filing it comes from. One list for
    int_sec_values_selected, int_dimensional_values_selected and int_segment_values_selected. -#}
{% macro selected_value_columns(series_columns, scale=2) -%}
    {%- for column in series_columns %}{{ column }},
        {% endfor -%}
    period_start,
        period_end,
        duration_months,
        fiscal_year,
        fiscal_quarter,
        cast(reported_value as decimal(38, {{ scale }})) as value_usd,
        times_reported,
        restated,
        accession_number,
        filing_form,
        filed_date
{%- endmacro %}
