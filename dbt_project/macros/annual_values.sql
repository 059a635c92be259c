{#- The annual reports' twelve-month values among selected SEC values (int_sec_values_selected
    shape): a duration of 12 months ending the fiscal year, for the metrics in `metric_list` (a
    SQL list literal). -#}
{% macro where_annual_value(metric_list) -%}
    period_type = 'duration'
    and duration_months = 12
    and fiscal_quarter = 4
    and metric in {{ metric_list }}
{%- endmacro %}
