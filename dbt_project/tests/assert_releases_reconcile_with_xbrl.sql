-- Gate (reconciliation): wherever an earnings release and XBRL report the same company, metric
-- (or segment metric) and period, they agree within the release's rounding or a seeded
-- exception names the difference with its evidence (int_release_reconciliation lists every
-- comparison). Returns the comparisons that disagree.
{{ config(severity='error') }}

select *
from {{ ref('int_release_reconciliation') }}
where outcome = 'disagrees'
