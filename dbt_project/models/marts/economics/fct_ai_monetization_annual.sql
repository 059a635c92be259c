-- Calendar year: the annual twin of fct_ai_monetization. Hyperscaler capex comes from the 10-K
-- twelve-month values (fct_ai_capex_annual), so a year exists where its quarters do not; a
-- fiscal year is placed in the calendar year it overlaps most, and fiscal_years_used says which.
-- The year grain of int_monetization_periods_aggregated with the year's own measures: Sequoia's
-- arithmetic needs all four quarters of NVIDIA data-center revenue.
with

periods as (
    select * from {{ ref('int_monetization_periods_aggregated') }}
    where period_grain = 'year'
),

final as (
    select
        *,
        data_center_quarters as nvidia_data_center_quarters,
        cast(
            case when data_center_quarters = 4 then data_center_revenue_usd end
            as decimal(38, 2)
        ) as nvidia_data_center_revenue_usd,
        coalesce(data_center_source, 'not available') as nvidia_data_center_source,
        cast(
            case
                when data_center_quarters = 4
                    then data_center_revenue_usd * tco_multiple
                        / (1 - end_user_margin)
            end as decimal(38, 2)
        ) as required_revenue_usd,
        cast(
            case
                when data_center_quarters = 4
                    then data_center_revenue_usd * tco_multiple
                        / (1 - end_user_margin)
                        - cloud_revenue_usd
            end as decimal(38, 2)
        ) as revenue_gap_usd,
        case
            when cloud_revenue_usd is null then 'cloud segment revenue not available'
            when cloud_companies_reporting = cloud_companies_expected
                then 'complete (fct_cloud_segment_revenue_annual)'
            else 'partial (fct_cloud_segment_revenue_annual): '
                || cast(cloud_companies_reporting as {{ dbt.type_string() }}) || ' of '
                || cast(cloud_companies_expected as {{ dbt.type_string() }}) || ' companies'
        end as cloud_coverage,
        'fct_ai_capex_annual (SEC XBRL 10-K values); NVIDIA data-center revenue: see nvidia_data_center_source'
            as source
    from periods
)

select {{ contract_columns() }}
from final
