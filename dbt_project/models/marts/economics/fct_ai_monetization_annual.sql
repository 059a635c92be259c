-- Calendar year: the annual twin of fct_ai_monetization. Hyperscaler capex comes from the 10-K
-- twelve-month values (fct_ai_capex_annual), so a year exists where its quarters do not; a
-- fiscal year is placed in the calendar year it overlaps most, and fiscal_years_used says which.
with

annual_capex as (
    select * from {{ ref('fct_ai_capex_annual') }}
),

companies as (
    select * from {{ ref('companies') }}
),

sequoia as (
    select * from {{ ref('int_sequoia_required_revenue') }}
),

assumptions as (
    select * from {{ ref('int_assumptions_pivoted') }}
),

segments_annual as (
    select * from {{ ref('fct_cloud_segment_revenue_annual') }}
),

cloud_segments as (
    select * from {{ ref('cloud_revenue_segments') }}
),

cloud_by_company as (
    select
        segments_annual.ticker,
        segments_annual.calendar_year,
        segments_annual.revenue_usd
    from segments_annual
    inner join cloud_segments
        on
            segments_annual.ticker = cloud_segments.ticker
            and segments_annual.segment = cloud_segments.segment
    where segments_annual.revenue_usd is not null
),

cloud_by_year as (
    select
        current_year.calendar_year,
        sum(current_year.revenue_usd) as cloud_revenue_usd,
        count(current_year.ticker) as cloud_companies_reporting,
        sum(current_year.revenue_usd - prior_year.revenue_usd) as cloud_revenue_yoy_increment_usd
    from cloud_by_company as current_year
    left join cloud_by_company as prior_year
        on
            current_year.ticker = prior_year.ticker
            and current_year.calendar_year - 1 = prior_year.calendar_year
    group by current_year.calendar_year
),

cloud_expected as (
    select count(*) as cloud_companies_expected from cloud_segments
),

hyperscalers as (
    select ticker from companies
    where is_hyperscaler
),

hyperscaler_capex as (
    select
        annual_capex.ticker,
        annual_capex.calendar_year,
        annual_capex.fiscal_year,
        annual_capex.capex_usd
    from annual_capex
    inner join hyperscalers
        on annual_capex.ticker = hyperscalers.ticker
    where annual_capex.capex_usd is not null
),

data_center_by_year as (
    select
        calendar_year,
        count(*) as data_center_quarters,
        sum(data_center_revenue_usd) as data_center_revenue_usd,
        {{ dbt.listagg('distinct source', "', '", 'order by source') }} as data_center_sources
    from sequoia
    group by calendar_year
),

nvidia_revenue as (
    select
        calendar_year,
        revenue_usd,
        fiscal_year
    from annual_capex
    where ticker = 'NVDA'
),

bounds as (
    select
        min(calendar_year) as first_year,
        max(calendar_year) as last_year
    from (
        select calendar_year from hyperscaler_capex
        union all
        select calendar_year from data_center_by_year
    ) as years
),

spine as (
    {{ integer_series('calendar_year', 'first_year', 'last_year', 'bounds') }}
),

capex_by_year as (
    select
        spine.calendar_year,
        sum(hyperscaler_capex.capex_usd) as hyperscaler_capex_usd,
        count(hyperscaler_capex.ticker) as companies_reporting,
        {{ dbt.listagg(
            "hyperscaler_capex.ticker || ' FY' || cast(hyperscaler_capex.fiscal_year as "
            ~ dbt.type_string() ~ ")",
            "', '",
            "order by hyperscaler_capex.ticker"
        ) }} as fiscal_years_used
    from spine
    left join hyperscaler_capex
        on spine.calendar_year = hyperscaler_capex.calendar_year
    group by spine.calendar_year
),

missing as (
    select
        spine.calendar_year,
        {{ dbt.listagg('hyperscalers.ticker', "', '", "order by hyperscalers.ticker") }}
            as missing_companies
    from spine
    cross join hyperscalers
    left join hyperscaler_capex
        on
            spine.calendar_year = hyperscaler_capex.calendar_year
            and hyperscalers.ticker = hyperscaler_capex.ticker
    where hyperscaler_capex.ticker is null
    group by spine.calendar_year
),

expected as (
    select count(*) as companies_expected from hyperscalers
),

final as (
    select
        cast(spine.calendar_year as integer) as calendar_year,
        cast(capex_by_year.hyperscaler_capex_usd as decimal(38, 2)) as hyperscaler_capex_usd,
        cast(expected.companies_expected as integer) as companies_expected,
        cast(capex_by_year.companies_reporting as integer) as companies_reporting,
        coalesce(missing.missing_companies, '') as missing_companies,
        coalesce(capex_by_year.fiscal_years_used, '') as fiscal_years_used,
        case
            when capex_by_year.companies_reporting = expected.companies_expected then 'complete'
            when capex_by_year.companies_reporting = 0 then 'none'
            else 'partial'
        end as capex_coverage,
        cast(nvidia_revenue.revenue_usd as decimal(38, 2)) as nvidia_revenue_usd,
        cast(nvidia_revenue.fiscal_year as integer) as nvidia_fiscal_year,
        cast(coalesce(data_center_by_year.data_center_quarters, 0) as integer)
            as nvidia_data_center_quarters,
        cast(
            case
                when data_center_by_year.data_center_quarters = 4
                    then data_center_by_year.data_center_revenue_usd
            end as decimal(38, 2)
        ) as nvidia_data_center_revenue_usd,
        coalesce(data_center_by_year.data_center_sources, 'not available')
            as nvidia_data_center_source,
        assumptions.tco_multiple,
        assumptions.end_user_margin,
        cast(
            case
                when data_center_by_year.data_center_quarters = 4
                    then data_center_by_year.data_center_revenue_usd * assumptions.tco_multiple
                        / (1 - assumptions.end_user_margin)
            end as decimal(38, 2)
        ) as required_revenue_usd,
        cast(cloud_by_year.cloud_revenue_usd as decimal(38, 2)) as cloud_revenue_usd,
        cast(cloud_by_year.cloud_revenue_yoy_increment_usd as decimal(38, 2))
            as cloud_revenue_yoy_increment_usd,
        cast(coalesce(cloud_by_year.cloud_companies_reporting, 0) as integer)
            as cloud_companies_reporting,
        cast(
            case
                when data_center_by_year.data_center_quarters = 4
                    then data_center_by_year.data_center_revenue_usd * assumptions.tco_multiple
                        / (1 - assumptions.end_user_margin)
                        - cloud_by_year.cloud_revenue_usd
            end as decimal(38, 2)
        ) as revenue_gap_usd,
        case
            when cloud_by_year.cloud_revenue_usd is null then 'cloud segment revenue not available'
            when cloud_by_year.cloud_companies_reporting = cloud_expected.cloud_companies_expected
                then 'complete (fct_cloud_segment_revenue_annual)'
            else 'partial (fct_cloud_segment_revenue_annual): '
                || cast(cloud_by_year.cloud_companies_reporting as {{ dbt.type_string() }}) || ' of '
                || cast(cloud_expected.cloud_companies_expected as {{ dbt.type_string() }}) || ' companies'
        end as cloud_coverage,
        assumptions.assumptions_as_of,
        'fct_ai_capex_annual (SEC XBRL 10-K values); NVIDIA data-center revenue: see nvidia_data_center_source'
            as source
    from spine
    cross join expected
    cross join assumptions
    cross join cloud_expected
    left join capex_by_year
        on spine.calendar_year = capex_by_year.calendar_year
    left join missing
        on spine.calendar_year = missing.calendar_year
    left join nvidia_revenue
        on spine.calendar_year = nvidia_revenue.calendar_year
    left join data_center_by_year
        on spine.calendar_year = data_center_by_year.calendar_year
    left join cloud_by_year
        on spine.calendar_year = cloud_by_year.calendar_year
)

select * from final
