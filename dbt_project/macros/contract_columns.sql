{#- The columns the calling model's contract declares (its _<folder>__models.yml), in that
    order. A mart that is a projection of a shared intermediate selects exactly its published
    contract with it, so the column list is written once, in the yml that documents it. -#}
{% macro contract_columns() -%}
    {%- for column in model.columns.values() %}
    {{ column.name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
