-- Company x fiscal year, straight from the twelve-month values of the annual reports, so a year
-- exists even where its quarters do not; the quarter sums sit beside it for the sum gate.
-- A projection of the year grain of int_sec_financials_pivoted (columns: the contract).
select {{ contract_columns() }}
from {{ ref('int_sec_financials_pivoted') }}
where period_grain = 'year'
