{#- Spark target: declare every dbt source as a table over its Parquet export
    (<parquet_dir>/<table>.parquet, written from the DuckDB raw schema by
    orchestration.spark_target). Run once per Spark session, before `dbt build`:
    dbt run-operation register_parquet_sources --args '{parquet_dir: /abs/path}' -#}
{% macro register_parquet_sources(parquet_dir) %}
    {%- if target.type != 'spark' -%}
        {{ exceptions.raise_compiler_error('register_parquet_sources is for the spark target only') }}
    {%- endif -%}
    {%- set sources = graph.sources.values() | sort(attribute='unique_id') -%}
    {%- for schema in sources | map(attribute='schema') | unique -%}
        {%- do run_query('create database if not exists ' ~ schema) -%}
    {%- endfor -%}
    {%- for source_node in sources -%}
        {%- do run_query(
            'create table if not exists ' ~ source_node.schema ~ '.' ~ source_node.identifier
            ~ " using parquet location '" ~ parquet_dir ~ '/' ~ source_node.identifier ~ ".parquet'"
        ) -%}
        {{ log('registered ' ~ source_node.schema ~ '.' ~ source_node.identifier, info=true) }}
    {%- endfor -%}
{% endmacro %}
