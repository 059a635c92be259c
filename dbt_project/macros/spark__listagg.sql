{#- dbt-spark's listagg ignores order_by_clause (with a warning), so lists would come out in
    whatever order Spark collects them. This override (root-project macros win dispatch for
    dbt's own macros) honours it, so both targets write the same strings. Spark 3.5 has no
    ordered string_agg: collect (sort key, value) pairs, sort them, keep the values. A
    `distinct` measure is ordered by its value (as DuckDB requires). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error('listagg: limit_num is not supported on spark') }}
    {%- endif -%}
    {%- set measure = measure | trim -%}
    {%- if measure[:9] | lower == 'distinct ' -%}
        array_join(array_sort(collect_set({{ measure[9:] }})), {{ delimiter_text }})
    {%- elif order_by_clause -%}
        {%- set sort_key = order_by_clause | trim -%}
        {%- if sort_key[:9] | lower != 'order by ' -%}
            {{ exceptions.raise_compiler_error('listagg: expected "order by <expression>", got ' ~ order_by_clause) }}
        {%- endif -%}
        array_join(
            transform(
                array_sort(collect_list(struct({{ sort_key[9:] }} as sort_key, {{ measure }} as item))),
                pair -> pair.item
            ),
            {{ delimiter_text }}
        )
    {%- else -%}
        array_join(collect_list({{ measure }}), {{ delimiter_text }})
    {%- endif -%}
{%- endmacro %}
