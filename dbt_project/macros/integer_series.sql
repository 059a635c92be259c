{#- One row per integer from `start` to `stop` (inclusive), as an integer column: a spine
    without a recursive CTE (Spark 3.5 has none). `start` and `stop` are integer-valued
    expressions over the one-row relation `bounds_relation`. -#}
{% macro integer_series(column_name, start, stop, bounds_relation) -%}
    {{ return(adapter.dispatch('integer_series', 'aicapex')(column_name, start, stop, bounds_relation)) }}
{%- endmacro %}

{% macro default__integer_series(column_name, start, stop, bounds_relation) -%}
    select cast(series.series_value as integer) as {{ column_name }}
    from {{ bounds_relation }}
    cross join generate_series(cast({{ start }} as bigint), cast({{ stop }} as bigint)) as series (series_value)
{%- endmacro %}

{% macro spark__integer_series(column_name, start, stop, bounds_relation) -%}
    select cast(series.series_value as integer) as {{ column_name }}
    from {{ bounds_relation }}
    lateral view explode(sequence(cast({{ start }} as int), cast({{ stop }} as int))) series as series_value
{%- endmacro %}
