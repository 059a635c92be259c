-- Calendar quarter: hyperscaler capex, NVIDIA data-center revenue and its run-rate, Sequoia's
-- required revenue, cloud revenue and the revenue gap. Each input states its coverage; a
-- quarter a company did not report is listed in missing_companies, never filled. The quarter
-- grain of int_monetization_periods_aggregated with the quarter's own measures.
with

periods as (
    select * from {{ ref('int_monetization_periods_aggregated') }}
    where period_grain = 'quarter'
),

final as (
    select
        *,
        cast(calendar_year as {{ dbt.type_string() }}) || '-Q'
        || cast(calendar_quarter as {{ dbt.type_string() }}) as calendar_quarter_label,
        cast(data_center_revenue_usd as decimal(38, 2)) as nvidia_data_center_revenue_usd,
        cast(data_center_run_rate_usd as decimal(38, 2)) as nvidia_data_center_run_rate_usd,
        coalesce(data_center_source, 'not available') as nvidia_data_center_source,
        data_center_source_url as nvidia_data_center_source_url,
        data_center_required_revenue_usd as required_revenue_usd,
        {{ safe_divide('cloud_revenue_yoy_increment_usd', 'hyperscaler_capex_usd') }}
            as incremental_cloud_revenue_per_capex_usd,
        cast(data_center_required_revenue_usd - 4 * cloud_revenue_usd as decimal(38, 2))
            as revenue_gap_usd,
        case
            when cloud_revenue_usd is null then 'cloud segment revenue not available'
            when cloud_missing_companies = '' then 'complete (fct_cloud_segment_revenue)'
            else 'partial (fct_cloud_segment_revenue): missing ' || cloud_missing_companies
        end as cloud_coverage,
        'fct_ai_capex (SEC XBRL); NVIDIA data-center revenue: see nvidia_data_center_source'
            as source
    from periods
)

select {{ contract_columns() }}
from final
