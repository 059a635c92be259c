-- Sequoia's "AI's $600B question" arithmetic per calendar quarter: NVIDIA data-center revenue
-- annualised (run-rate = 4 x quarter), times the TCO multiple (GPUs are half of data-center
-- cost), divided by (1 - end-user margin) (a 50 % margin doubles it): $50B -> $200B.
with

data_center as (select * from {{ ref('int_nvidia_data_center_revenue') }}),

assumptions as (select * from {{ ref('int_assumptions_pivoted') }}),

final as (
    select
        data_center.calendar_year,
        data_center.calendar_quarter,
        data_center.fiscal_year as nvidia_fiscal_year,
        data_center.fiscal_quarter as nvidia_fiscal_quarter,
        data_center.data_center_revenue_usd,
        4 * data_center.data_center_revenue_usd as data_center_run_rate_usd,
        assumptions.tco_multiple,
        assumptions.end_user_margin,
        cast(
            4 * data_center.data_center_revenue_usd * assumptions.tco_multiple
            / (1 - assumptions.end_user_margin) as decimal(38, 2)
        ) as required_revenue_usd,
        data_center.source,
        data_center.source_url,
        data_center.source_accession,
        assumptions.assumptions_as_of
    from data_center
    cross join assumptions
)

select * from final
