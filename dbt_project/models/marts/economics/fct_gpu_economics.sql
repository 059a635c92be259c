-- Month x GPU model x price source: what an hour of a GPU rents for, what its electricity costs
-- (kW x utilisation x PUE x $/kWh), the gross margin per hour of ownership and the payback
-- months on the purchase price. Every assumption is a seed row and is carried in the row.
with

prices as (select * from {{ ref('int_gpu_prices_monthly') }}),

specs as (select * from {{ ref('gpu_specs') }}),

assumptions as (select * from {{ ref('int_assumptions_pivoted') }}),

electricity as (
    select electricity_prices.*
    from {{ ref('stg_eia__retail_prices') }} as electricity_prices
    inner join assumptions
        on
            electricity_prices.state = assumptions.electricity_state
            and electricity_prices.sector = assumptions.electricity_sector
),

-- the electricity month used: the price month itself, else the latest earlier month
-- (carried forward and flagged; EIA publishes with a lag of a few months)
electricity_month as (
    select
        prices.price_month,
        max(electricity.price_month) as electricity_price_month
    from (select distinct price_month from prices) as prices
    inner join electricity
        on prices.price_month >= electricity.price_month
    group by prices.price_month
),

joined as (
    select
        prices.*,
        specs.tdp_watts,
        specs.tdp_watts / 1000.0 as gpu_kw,
        specs.reference_purchase_price_usd,
        specs.price_source as purchase_price_source,
        specs.spec_source,
        assumptions.gpu_utilisation,
        assumptions.pue,
        assumptions.hours_per_month,
        assumptions.electricity_state,
        assumptions.electricity_sector,
        assumptions.assumptions_as_of,
        electricity.price_month as electricity_price_month,
        electricity.price_usd_per_kwh as electricity_usd_per_kwh,
        electricity.status as electricity_status,
        electricity.source_url as electricity_source_url
    from prices
    inner join specs
        on prices.gpu_model = specs.gpu_model
    cross join assumptions
    left join electricity_month
        on prices.price_month = electricity_month.price_month
    left join electricity
        on electricity_month.electricity_price_month = electricity.price_month
),

costed as (
    select
        *,
        gpu_kw * gpu_utilisation * pue * electricity_usd_per_kwh as energy_cost_usd_per_gpu_hour,
        usd_per_gpu_hour * gpu_utilisation as revenue_usd_per_gpu_hour
    from joined
),

final as (
    select
        *,
        electricity_price_month < price_month as electricity_price_carried_forward,
        revenue_usd_per_gpu_hour - energy_cost_usd_per_gpu_hour as gross_margin_usd_per_gpu_hour,
        {{ safe_divide('revenue_usd_per_gpu_hour - energy_cost_usd_per_gpu_hour',
                       'revenue_usd_per_gpu_hour') }} as gross_margin_ratio,
        case
            when revenue_usd_per_gpu_hour - energy_cost_usd_per_gpu_hour > 0
                then reference_purchase_price_usd
                    / ((revenue_usd_per_gpu_hour - energy_cost_usd_per_gpu_hour) * hours_per_month)
        end as payback_months
    from costed
)

select {{ contract_columns() }}
from final
