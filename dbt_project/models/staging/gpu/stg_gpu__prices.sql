-- Hourly GPU prices with a date, one row per observation, in USD per GPU-hour.
-- Purchase prices and undated documents (the recorded AWS pricing-page file) stay in raw.
with

source as (
    select * from {{ source('gpu', 'gpu_prices') }}
),

final as (
    select
        cast(observed_at as timestamp) as observed_at,
        cast(cast(observed_at as date) as date) as observed_date,
        cast({{ dbt.date_trunc('month', 'cast(observed_at as date)') }} as date) as price_month,
        gpu_model,
        gpu_variant,
        provider,
        price_type,
        source || ':' || provider || ':' || price_type as price_source,
        usd_per_gpu_hour,
        instance_type,
        gpus_per_instance,
        region,
        source,
        source_file,
        source_url,
        loaded_at
    from source
    where
        usd_per_gpu_hour is not null
        and observed_at is not null
        and gpu_model is not null
)

select * from final
