-- Company x fiscal quarter: how capex and shareholder returns were paid for (operating cash,
-- new debt, cash drawdown), net debt and the debt-funded share of capex. A projection of
-- int_capex_funding_covered (columns: the contract).
select {{ contract_columns() }}
from {{ ref('int_capex_funding_covered') }}
where period_grain = 'quarter'
