{#- Quarter and year values stacked for a model that serves both grains of a mart and its
    `_annual` twin: period_grain ('quarter' or 'year'), the shared `columns`, then fiscal_quarter
    and value_method (null for a year: an annual report's twelve-month value is reported, not
    derived). -#}
{% macro union_period_grains(quarters_relation, years_relation, columns) -%}
    select
        'quarter' as period_grain,
        {{ columns | join(', ') }},
        fiscal_quarter,
        value_method
    from {{ quarters_relation }}

    union all

    select
        'year' as period_grain,
        {{ columns | join(', ') }},
        cast(null as integer) as fiscal_quarter,
        cast(null as {{ dbt.type_string() }}) as value_method
    from {{ years_relation }}
{%- endmacro %}
