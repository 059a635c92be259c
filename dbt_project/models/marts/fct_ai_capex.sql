-- Company x fiscal quarter: capex (discrete quarter), TTM, YoY and the cash it is paid from.
-- A projection of the quarter grain of int_sec_financials_pivoted (columns: the contract).
select {{ contract_columns() }}
from {{ ref('int_sec_financials_pivoted') }}
where period_grain = 'quarter'
