{#
    sum() of a fractional money expression, the same on every run. A sum of doubles depends on
    the order the rows arrive in, which a parallel aggregate does not fix: the published marts
    would differ in the last bits from one build to the next, and an unchanged rebuild would no
    longer leave the published file byte-identical. Each term is rounded to a millionth of a
    dollar as a decimal, summed exactly, and returned as a double (the column's contract type).
#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 6))) as double)
{%- endmacro %}
