{#- The concept resolution row (int_concept_resolution: rule or override) that assigns a metric
    to an SEC fact: same company, taxonomy and concept, and the fact's period ends within the
    row's validity dates. `facts` names the fact relation (alias) of the calling model, which
    imports int_concept_resolution as `concept_map`. -#}
{% macro concept_map_join(facts, join_type='inner') -%}
    {{ join_type }} join concept_map
        on
            {{ facts }}.ticker = concept_map.ticker
            and {{ facts }}.taxonomy = concept_map.taxonomy
            and {{ facts }}.concept = concept_map.concept
            and {{ facts }}.period_end between concept_map.valid_from and concept_map.valid_to
{%- endmacro %}
