{#- The few generic tests we need, written here because dbt Hub packages are unreachable. -#}

{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}

{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}

{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and (
    false
    {% if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
    {% if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
  )
{% endtest %}

{#- Rows of each group must form an unbroken sequence of `index_expression` (no missing quarter). -#}
{% test contiguous_sequence(model, group_by, index_expression) %}
select
    {{ group_by }},
    count(*) as n_rows,
    max({{ index_expression }}) - min({{ index_expression }}) + 1 as expected_rows
from {{ model }}
group by {{ group_by }}
having count(*) != max({{ index_expression }}) - min({{ index_expression }}) + 1
{% endtest %}
