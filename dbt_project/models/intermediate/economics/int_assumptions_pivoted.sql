-- The global assumptions (scenario 'all') as one row, with the date of the newest one.
with

assumptions as (
    select * from {{ ref('assumptions') }}
    where scenario = 'all'
),

final as (
    select
        max(case when assumption = 'pue' then value end) as pue,
        max(case when assumption = 'gpu_utilisation' then value end) as gpu_utilisation,
        max(case when assumption = 'hours_per_month' then value end) as hours_per_month,
        max(case when assumption = 'electricity_state' then value_text end) as electricity_state,
        max(case when assumption = 'electricity_sector' then value_text end)
            as electricity_sector,
        max(case when assumption = 'tco_multiple' then value end) as tco_multiple,
        max(case when assumption = 'end_user_margin' then value end) as end_user_margin,
        max(case when assumption = 'runway_horizon_quarters' then value end)
            as runway_horizon_quarters,
        max(case when assumption = 'leverage_limit_debt_to_operating_cash_flow' then value end)
            as leverage_limit_debt_to_operating_cash_flow,
        max(as_of) as assumptions_as_of
    from assumptions
)

select * from final
