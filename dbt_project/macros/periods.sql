{#- Fiscal and calendar periods, derived from a period's own dates (DESIGN §4 "Periods"),
    never from the filing's fy/fp. Portable: dbt cross-database macros and ANSI extract. -#}

{#- The end date moved back a week, so 52/53-week years that end in the first days of the
    next month (e.g. 2 Feb) still count in the month they close. -#}
{% macro _fiscal_anchor(end_date) -%}
    {{ dbt.dateadd('day', -7, end_date) }}
{%- endmacro %}

{#- fiscal_year = the calendar year in which the company's fiscal year ends. -#}
{% macro fiscal_year(end_date, fiscal_year_end_month) -%}
    (extract(year from {{ _fiscal_anchor(end_date) }})
     + case when extract(month from {{ _fiscal_anchor(end_date) }}) > {{ fiscal_year_end_month }}
            then 1 else 0 end)
{%- endmacro %}

{#- fiscal_quarter (1-4) of the quarter a period ends in. -#}
{% macro fiscal_quarter(end_date, fiscal_year_end_month) -%}
    (cast(floor(mod(extract(month from {{ _fiscal_anchor(end_date) }})
                    - {{ fiscal_year_end_month }} + 11, 12) / 3) as integer) + 1)
{%- endmacro %}

{#- Length of a duration in whole months (91 days -> 3, 182 -> 6, 273 -> 9, 364 -> 12). -#}
{% macro duration_months(start_date, end_date) -%}
    cast(round(({{ dbt.datediff(start_date, end_date, 'day') }} + 1) / 30.4375) as integer)
{%- endmacro %}

{#- The calendar quarter/year that overlaps the period most: the one holding its midpoint. -#}
{% macro _midpoint(start_date, end_date) -%}
    {{ dbt.dateadd('day', 'cast(floor(' ~ dbt.datediff(start_date, end_date, 'day') ~ ' / 2) as integer)', start_date) }}
{%- endmacro %}

{% macro calendar_year(start_date, end_date) -%}
    cast(extract(year from {{ _midpoint(start_date, end_date) }}) as integer)
{%- endmacro %}

{% macro calendar_quarter(start_date, end_date) -%}
    cast(extract(quarter from {{ _midpoint(start_date, end_date) }}) as integer)
{%- endmacro %}

{#- True when a later value differs from an earlier report by more than rounding. -#}
{% macro is_restatement(earlier_value, later_value) -%}
    (abs({{ later_value }} - {{ earlier_value }})
     > {{ var('restatement_rounding_tolerance') }} * greatest(abs({{ later_value }}), abs({{ earlier_value }})))
{%- endmacro %}

{#- A ratio that is null (not an error, not infinity) when the denominator is null or zero. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- The period columns of an SEC fact from its own dates and the company's fiscal year end:
    period_type (duration or instant), duration_months (null for an instant), fiscal_year and
    fiscal_quarter. One derivation for every SEC source (company facts, filing facts, segments). -#}
{% macro fiscal_period_columns(start_date, end_date, fiscal_year_end_month) -%}
    case when {{ start_date }} is null then 'instant' else 'duration' end as period_type,
        case
            when {{ start_date }} is not null
                then {{ duration_months(start_date, end_date) }}
        end as duration_months,
        cast({{ fiscal_year(end_date, fiscal_year_end_month) }} as integer) as fiscal_year,
        {{ fiscal_quarter(end_date, fiscal_year_end_month) }} as fiscal_quarter
{%- endmacro %}

{#- The period labels every published row carries (DESIGN §4): fiscal year and quarter, the
    period's dates, and the calendar year and quarter that overlap it most, from `relation`'s
    fiscal_year, fiscal_quarter, period_start and period_end. -#}
{% macro period_label_columns(relation) -%}
    cast({{ relation }}.fiscal_year as integer) as fiscal_year,
        cast({{ relation }}.fiscal_quarter as integer) as fiscal_quarter,
        {{ relation }}.period_start,
        {{ relation }}.period_end,
        {{ calendar_year(relation ~ '.period_start', relation ~ '.period_end') }} as calendar_year,
        {{ calendar_quarter(relation ~ '.period_start', relation ~ '.period_end') }} as calendar_quarter
{%- endmacro %}

{#- The company and period columns a funding row starts with (int_capex_funding_covered,
    int_depreciation_wave_projected): one list, so the two marts label periods alike;
    `relation` qualifies them where a join makes a name ambiguous. -#}
{% macro company_period_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in ['ticker', 'cik', 'fiscal_year', 'fiscal_quarter', 'period_start', 'period_end',
                       'calendar_year', 'calendar_quarter'] -%}
        {{ prefix }}{{ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
