-- Epoch AI's NVIDIA quarterly revenue compilation: a secondary source, one row per fiscal quarter.
with

source as (
    select * from {{ source('epoch', 'epoch_nvidia_quarterly_revenue') }}
),

final as (
    select
        fiscal_label,
        fiscal_year,
        fiscal_quarter,
        period_start,
        period_end,
        cast(total_revenue_usd as decimal(38, 2)) as total_revenue_usd,
        cast(data_center_revenue_usd as decimal(38, 2)) as data_center_revenue_usd,
        cited_url,
        source,
        source_file,
        source_url,
        loaded_at
    from source
)

select * from final
