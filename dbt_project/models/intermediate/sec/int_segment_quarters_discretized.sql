-- Discrete fiscal quarters of segment revenue and operating income (see macro
-- discretize_quarters): a reported three-month value (what 10-Qs show for segments) as is,
-- otherwise derived from the year-to-date chain only where both values exist. XBRL and
-- earnings-release figures are discretized apart and XBRL wins per quarter (macro
-- discretize_quarters_xbrl_first). Segments are re-cast under the same member (Microsoft
-- FY2025): a quarter is derived only from two values on the same basis (same_basis_only).
with

final as (
    {{ discretize_quarters_xbrl_first(
        ref('int_segment_values_selected'),
        series=['cik', 'segment_id', 'metric'],
        carried=['ticker', 'segment_label', 'segment_kind', 'source_url', 'source'],
        same_basis_only=true) }}
)

select * from final
