{#- One wide row per group from a long (metric, value_usd, accession_number, filed_date) stream:
    for every metric in `metrics`, `<metric>_usd` (its value) and, with `provenance`,
    `<metric>_accession` and `<metric>_filed_date`. The caller writes the select's keys and
    group by around it. -#}
{% macro pivot_metric_values(metrics, provenance=true) -%}
    {%- for metric in metrics %}
        max(case when metric = '{{ metric }}' then value_usd end) as {{ metric }}_usd,
        {%- if provenance %}
        max(case when metric = '{{ metric }}' then accession_number end) as {{ metric }}_accession,
        max(case when metric = '{{ metric }}' then filed_date end) as {{ metric }}_filed_date,
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
