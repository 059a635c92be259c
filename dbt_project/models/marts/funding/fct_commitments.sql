-- Company x balance-sheet date: RPO and its near-term share, leases not yet commenced, purchase
-- obligations, debt, finance-lease liabilities, against cloud revenue, cash and capex. A
-- projection of int_commitments_assembled (columns: the contract).
select {{ contract_columns() }}
from {{ ref('int_commitments_assembled') }}
