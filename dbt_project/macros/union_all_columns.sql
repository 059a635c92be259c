{#- The same `columns` of each relation in `relations`, stacked (union all): for a model that
    reads one kind of figure from two sources with the same shape. -#}
{% macro union_all_columns(relations, columns) -%}
    {%- for relation in relations %}
    select {{ columns | join(', ') }}
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {% endif -%}
    {%- endfor %}
{%- endmacro %}
