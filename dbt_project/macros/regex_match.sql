{#- True when `pattern` (a regular expression column or literal) matches all of `value`
    (full=true) or a part of it (full=false). DuckDB and Spark spell it differently. -#}
{% macro regex_match(value, pattern, full=true) -%}
    {{ return(adapter.dispatch('regex_match')(value, pattern, full)) }}
{%- endmacro %}

{% macro default__regex_match(value, pattern, full) -%}
    {%- if full -%}
        regexp_full_match({{ value }}, {{ pattern }})
    {%- else -%}
        regexp_matches({{ value }}, {{ pattern }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__regex_match(value, pattern, full) -%}
    {%- if full -%}
        ({{ value }} rlike concat('^(', {{ pattern }}, ')$'))
    {%- else -%}
        ({{ value }} rlike {{ pattern }})
    {%- endif -%}
{%- endmacro %}
