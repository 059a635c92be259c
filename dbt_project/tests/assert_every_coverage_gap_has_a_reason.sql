-- Gate (coverage): within each company's coverage window every quarter has its capex, revenue
-- and operating cash flow, or a named reason (int_sec_metric_coverage: not_in_source,
-- ytd_chain_incomplete). A gap with no reason means a value the sources hold was lost on the
-- way to the marts. Returns those quarters.
{{ config(severity='error') }}

select *
from {{ ref('int_sec_metric_coverage') }}
where value_usd is null and gap_reason is null
