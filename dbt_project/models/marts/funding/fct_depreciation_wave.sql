-- Company x fiscal quarter x useful-life scenario: the depreciation the capex already spent will
-- generate against reported D&A, the tagged effects of useful-life changes, and the revenue growth
-- needed to keep D&A below the stated share. A projection of int_depreciation_wave_projected.
select {{ contract_columns() }}
from {{ ref('int_depreciation_wave_projected') }}
where period_grain = 'quarter'
