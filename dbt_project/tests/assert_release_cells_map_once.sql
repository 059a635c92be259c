-- Gate: every earnings-release cell maps to at most one figure. A cell two rows of
-- release_label_map assign to different metrics or segments (a label pattern too wide) is a
-- misread waiting to publish. Returns the release, table and row label of each such figure.
{{ config(severity='error') }}

select
    ticker,
    accession_number,
    table_index,
    row_label,
    metric,
    segment_id,
    period_start,
    period_end,
    cell_mappings
from {{ ref('int_release_facts_mapped') }}
where cell_mappings > 1
