-- One tidy monthly electricity price per state x sector x month. Where both the EIA-861M
-- workbook and an EIA API v2 page carry the month, the workbook wins (it states Final or
-- Preliminary); both are the same EIA-861M survey.
with

source as (
    select * from {{ source('eia', 'eia_retail_sales') }}
),

monthly as (
    select
        state,
        sector,
        cast(period || '-01' as date) as price_month,
        price_cents_per_kwh,
        sales_mwh,
        revenue_usd,
        coalesce(status, 'unknown') as status,
        source,
        source_file,
        case
            when source = 'eia861m'
                then 'https://www.eia.gov/electricity/data/eia861m/xls/sales_revenue.xlsx'
            else 'https://api.eia.gov/v2/electricity/retail-sales/data/'
        end as source_url,
        loaded_at,
        row_number() over (
            partition by state, sector, period
            order by case when source = 'eia861m' then 1 else 2 end, loaded_at desc
        ) as source_rank
    from source
    where frequency = 'monthly' and price_cents_per_kwh is not null
),

final as (
    select
        state,
        sector,
        price_month,
        price_cents_per_kwh,
        price_cents_per_kwh / 100.0 as price_usd_per_kwh,
        sales_mwh,
        revenue_usd,
        status,
        source,
        source_file,
        source_url,
        loaded_at
    from monthly
    where source_rank = 1
)

select * from final
