-- Company x segment x fiscal quarter: segment revenue and operating income from the filings'
-- dimensional XBRL, YoY growth and share of company revenue; every row names its filing.
-- A projection of the quarter grain of int_segment_revenue_pivoted (columns: the contract).
select {{ contract_columns() }}
from {{ ref('int_segment_revenue_pivoted') }}
where period_grain = 'quarter'
