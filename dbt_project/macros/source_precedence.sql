{#- The SEC sources in their order of precedence for one figure: company facts, then a filing's
    own XBRL, then an earnings release (its figure only where no XBRL reports it). -#}
{% macro source_rank(source) -%}
    case {{ source }} when 'company_facts' then 1 when 'filing' then 2 else 3 end
{%- endmacro %}

{#- The rows of `values_relation` whose source ranks first among the rows of their
    `partition_by` group (every column kept). One statement, so a model can use it as a CTE
    body; portable (window functions only). -#}
{% macro keep_first_source(values_relation, partition_by) %}
select *
from (
    select
        *,
        {{ source_rank('source') }} as source_rank,
        min({{ source_rank('source') }}) over (partition by {{ partition_by | join(', ') }})
            as first_source_rank
    from {{ values_relation }}
) as ranked
where source_rank = first_source_rank
{% endmacro %}
