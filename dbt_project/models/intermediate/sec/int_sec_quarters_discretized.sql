-- Discrete fiscal quarters for flow metrics (see macro discretize_quarters): a reported
-- three-month value as is, otherwise Q2 = H1 - Q1, Q3 = 9M - H1, Q4 = FY - 9M; a quarter whose
-- chain is broken is absent. XBRL and earnings releases are discretized apart and XBRL wins per
-- quarter (macro discretize_quarters_xbrl_first).
with

final as (
    {{ discretize_quarters_xbrl_first(ref('int_sec_values_selected'), series=['cik', 'metric'],
                                      carried=['ticker', 'source']) }}
)

select * from final
