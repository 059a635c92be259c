{#- Use the folder's schema name as-is (raw, staging, intermediate, audit, seeds): the
    warehouse layout in DESIGN §3 names schemas, not target-prefixed ones. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
