-- GPU prices averaged to month x GPU model x price source (source:provider:price_type).
with

prices as (select * from {{ ref('stg_gpu__prices') }}),

final as (
    select
        price_month,
        gpu_model,
        price_source,
        source,
        provider,
        price_type,
        avg(usd_per_gpu_hour) as usd_per_gpu_hour,
        min(usd_per_gpu_hour) as min_usd_per_gpu_hour,
        max(usd_per_gpu_hour) as max_usd_per_gpu_hour,
        cast(count(*) as integer) as price_observations,
        min(observed_date) as first_observed_date,
        max(observed_date) as last_observed_date,
        max(source_url) as source_url,
        max(source_file) as source_file,
        max(loaded_at) as loaded_at
    from prices
    group by price_month, gpu_model, price_source, source, provider, price_type
)

select * from final
