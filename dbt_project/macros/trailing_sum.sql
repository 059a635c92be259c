{#- The sum of `column` over the four fiscal quarters ending at the row (window `window_name`:
    partition by company, order by period_index, rows between 3 preceding and current row),
    only when all four are reported and contiguous; null otherwise. -#}
{% macro trailing_four_quarter_sum(column, window_name, index_column='period_index') -%}
    case
        when
            count({{ column }}) over {{ window_name }} = 4
            and min({{ index_column }}) over {{ window_name }} = {{ index_column }} - 3
            then sum({{ column }}) over {{ window_name }}
    end
{%- endmacro %}

{#- The window trailing_four_quarter_sum reads: per `partition_by` (the company, with the
    period grain where a relation holds more than one), the four rows ending at the current row
    by `index_column`. -#}
{% macro trailing_four_quarters_window(partition_by='cik', index_column='period_index') -%}
    partition by {{ partition_by }} order by {{ index_column }} rows between 3 preceding and current row
{%- endmacro %}
