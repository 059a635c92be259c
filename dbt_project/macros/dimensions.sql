{#- The axis and member of one XBRL dimension written 'axis=member' (the `dimensions` of a
    one-dimension context in int_filing_facts_enriched, or the chosen part of a two-dimension
    one): one split for every model that reads dimensional facts. -#}
{% macro axis_and_member(dimension) -%}
    {{ dbt.split_part(dimension, "'='", 1) }} as axis,
        {{ dbt.split_part(dimension, "'='", 2) }} as member
{%- endmacro %}
