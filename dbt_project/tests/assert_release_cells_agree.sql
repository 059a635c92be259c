-- Gate: where one earnings release prints a mapped figure more than once for the same period
-- (a statement and a summary table), the cells agree; a label that maps to two different
-- printed values of one metric (a label pattern too wide) fails here. Returns the offending
-- (release, metric, segment, period) rows.
{{ config(severity='error') }}

select
    ticker,
    accession_number,
    metric,
    segment_id,
    period_start,
    period_end,
    reported_value,
    max_reported_value,
    cells
from {{ ref('int_release_facts_mapped') }}
where reported_value != max_reported_value
