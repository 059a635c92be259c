-- Company x fiscal year x useful-life scenario: the year's scenario depreciation (its four
-- quarters summed) against the annual report's D&A, next fiscal year's committed depreciation
-- and the revenue growth it needs, and the twelve-month tagged effects of useful-life changes.
-- The year grain of int_depreciation_wave_projected.
select {{ contract_columns() }}
from {{ ref('int_depreciation_wave_projected') }}
where period_grain = 'year'
