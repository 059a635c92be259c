-- Company x fiscal year: the annual reports' twelve-month funding figures and their coverage
-- (so a year exists where its quarters do not). The year grain of int_capex_funding_covered.
select {{ contract_columns() }}
from {{ ref('int_capex_funding_covered') }}
where period_grain = 'year'
