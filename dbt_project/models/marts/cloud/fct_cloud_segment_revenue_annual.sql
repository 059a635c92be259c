-- Company x segment x fiscal year, straight from the annual reports' twelve-month values (a
-- year exists even where its quarters do not), with the quarter sums for the sum gate.
-- A projection of the year grain of int_segment_revenue_pivoted (columns: the contract).
select {{ contract_columns() }}
from {{ ref('int_segment_revenue_pivoted') }}
where period_grain = 'year'
