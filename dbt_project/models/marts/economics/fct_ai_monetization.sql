-- Calendar quarter: hyperscaler capex, NVIDIA data-center revenue and its run-rate, Sequoia's
-- required revenue, cloud revenue and the revenue gap. Each input states its coverage; a
-- quarter a company did not report is listed in missing_companies, never filled.
with

capex as (
    select * from {{ ref('fct_ai_capex') }}
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

segments as (
    select * from {{ ref('fct_cloud_segment_revenue') }}
),

cloud_segments as (
    select * from {{ ref('cloud_revenue_segments') }}
),

cloud_by_company as (
    select
        segments.ticker,
        segments.calendar_year,
        segments.calendar_quarter,
        segments.revenue_usd
    from segments
    inner join cloud_segments
        on
            segments.ticker = cloud_segments.ticker
            and segments.segment = cloud_segments.segment
    where segments.revenue_usd is not null
),

hyperscalers as (
    select ticker from companies
    where is_hyperscaler
),

hyperscaler_capex as (
    select
        capex.ticker,
        capex.calendar_year,
        capex.calendar_quarter,
        capex.capex_usd,
        capex.source_accession
    from capex
    inner join hyperscalers
        on capex.ticker = hyperscalers.ticker
    where capex.capex_usd is not null
),

nvidia_revenue as (
    select
        calendar_year,
        calendar_quarter,
        revenue_usd,
        source_accession
    from capex
    where ticker = 'NVDA'
),

bounds as (
    select
        min(quarter_index) as first_index,
        max(quarter_index) as last_index
    from (
        select calendar_year * 4 + calendar_quarter - 1 as quarter_index from hyperscaler_capex
        union all
        select calendar_year * 4 + calendar_quarter - 1 as quarter_index from sequoia
    ) as indexed
),

spine as (
    {{ integer_series('quarter_index', 'first_index', 'last_index', 'bounds') }}
),

calendar as (
    select
        quarter_index,
        cast(floor(quarter_index / 4) as integer) as calendar_year,
        cast(quarter_index - 4 * floor(quarter_index / 4) + 1 as integer) as calendar_quarter
    from spine
),

capex_by_quarter as (
    select
        calendar.calendar_year,
        calendar.calendar_quarter,
        sum(hyperscaler_capex.capex_usd) as hyperscaler_capex_usd,
        count(hyperscaler_capex.ticker) as companies_reporting
    from calendar
    left join hyperscaler_capex
        on
            calendar.calendar_year = hyperscaler_capex.calendar_year
            and calendar.calendar_quarter = hyperscaler_capex.calendar_quarter
    group by calendar.calendar_year, calendar.calendar_quarter
),

missing as (
    select
        calendar.calendar_year,
        calendar.calendar_quarter,
        {{ dbt.listagg('hyperscalers.ticker', "', '", "order by hyperscalers.ticker") }}
            as missing_companies
    from calendar
    cross join hyperscalers
    left join hyperscaler_capex
        on
            calendar.calendar_year = hyperscaler_capex.calendar_year
            and calendar.calendar_quarter = hyperscaler_capex.calendar_quarter
            and hyperscalers.ticker = hyperscaler_capex.ticker
    where hyperscaler_capex.ticker is null
    group by calendar.calendar_year, calendar.calendar_quarter
),

expected as (
    select count(*) as companies_expected from hyperscalers
),

cloud_by_quarter as (
    select
        calendar.calendar_year,
        calendar.calendar_quarter,
        sum(current_year.revenue_usd) as cloud_revenue_usd,
        count(current_year.ticker) as cloud_companies_reporting,
        sum(current_year.revenue_usd - prior_year.revenue_usd) as cloud_revenue_yoy_increment_usd
    from calendar
    inner join cloud_by_company as current_year
        on
            calendar.calendar_year = current_year.calendar_year
            and calendar.calendar_quarter = current_year.calendar_quarter
    left join cloud_by_company as prior_year
        on
            current_year.ticker = prior_year.ticker
            and current_year.calendar_year - 1 = prior_year.calendar_year
            and current_year.calendar_quarter = prior_year.calendar_quarter
    group by calendar.calendar_year, calendar.calendar_quarter
),

cloud_missing as (
    select
        calendar.calendar_year,
        calendar.calendar_quarter,
        {{ dbt.listagg('cloud_segments.ticker', "', '", "order by cloud_segments.ticker") }}
            as cloud_missing_companies
    from calendar
    cross join cloud_segments
    left join cloud_by_company
        on
            calendar.calendar_year = cloud_by_company.calendar_year
            and calendar.calendar_quarter = cloud_by_company.calendar_quarter
            and cloud_segments.ticker = cloud_by_company.ticker
    where cloud_by_company.ticker is null
    group by calendar.calendar_year, calendar.calendar_quarter
),

joined as (
    select
        calendar.calendar_year,
        calendar.calendar_quarter,
        calendar.quarter_index,
        capex_by_quarter.hyperscaler_capex_usd,
        expected.companies_expected,
        capex_by_quarter.companies_reporting,
        coalesce(missing.missing_companies, '') as missing_companies,
        nvidia_revenue.revenue_usd as nvidia_revenue_usd,
        nvidia_revenue.source_accession as nvidia_revenue_accession,
        sequoia.data_center_revenue_usd,
        sequoia.data_center_run_rate_usd,
        sequoia.required_revenue_usd,
        sequoia.source as data_center_revenue_source,
        sequoia.source_url as data_center_revenue_source_url,
        assumptions.tco_multiple,
        assumptions.end_user_margin,
        assumptions.assumptions_as_of,
        cloud_by_quarter.cloud_revenue_usd,
        cloud_by_quarter.cloud_revenue_yoy_increment_usd,
        coalesce(cloud_by_quarter.cloud_companies_reporting, 0) as cloud_companies_reporting,
        coalesce(cloud_missing.cloud_missing_companies, '') as cloud_missing_companies
    from calendar
    cross join expected
    cross join assumptions
    left join capex_by_quarter
        on
            calendar.calendar_year = capex_by_quarter.calendar_year
            and calendar.calendar_quarter = capex_by_quarter.calendar_quarter
    left join missing
        on
            calendar.calendar_year = missing.calendar_year
            and calendar.calendar_quarter = missing.calendar_quarter
    left join nvidia_revenue
        on
            calendar.calendar_year = nvidia_revenue.calendar_year
            and calendar.calendar_quarter = nvidia_revenue.calendar_quarter
    left join sequoia
        on
            calendar.calendar_year = sequoia.calendar_year
            and calendar.calendar_quarter = sequoia.calendar_quarter
    left join cloud_by_quarter
        on
            calendar.calendar_year = cloud_by_quarter.calendar_year
            and calendar.calendar_quarter = cloud_by_quarter.calendar_quarter
    left join cloud_missing
        on
            calendar.calendar_year = cloud_missing.calendar_year
            and calendar.calendar_quarter = cloud_missing.calendar_quarter
),

final as (
    select
        calendar_year,
        calendar_quarter,
        cast(calendar_year as {{ dbt.type_string() }}) || '-Q' || cast(calendar_quarter as {{ dbt.type_string() }})
            as calendar_quarter_label,
        cast(hyperscaler_capex_usd as decimal(38, 2)) as hyperscaler_capex_usd,
        cast(companies_expected as integer) as companies_expected,
        cast(companies_reporting as integer) as companies_reporting,
        missing_companies,
        case
            when companies_reporting = companies_expected then 'complete'
            when companies_reporting = 0 then 'none'
            else 'partial'
        end as capex_coverage,
        cast(nvidia_revenue_usd as decimal(38, 2)) as nvidia_revenue_usd,
        nvidia_revenue_accession,
        cast(data_center_revenue_usd as decimal(38, 2)) as nvidia_data_center_revenue_usd,
        cast(data_center_run_rate_usd as decimal(38, 2)) as nvidia_data_center_run_rate_usd,
        coalesce(data_center_revenue_source, 'not available') as nvidia_data_center_source,
        data_center_revenue_source_url as nvidia_data_center_source_url,
        tco_multiple,
        end_user_margin,
        required_revenue_usd,
        cast(cloud_revenue_usd as decimal(38, 2)) as cloud_revenue_usd,
        cast(cloud_revenue_yoy_increment_usd as decimal(38, 2)) as cloud_revenue_yoy_increment_usd,
        {{ safe_divide('cloud_revenue_yoy_increment_usd', 'hyperscaler_capex_usd') }}
            as incremental_cloud_revenue_per_capex_usd,
        cast(required_revenue_usd - 4 * cloud_revenue_usd as decimal(38, 2)) as revenue_gap_usd,
        cast(cloud_companies_reporting as integer) as cloud_companies_reporting,
        cloud_missing_companies,
        case
            when cloud_revenue_usd is null then 'cloud segment revenue not available'
            when cloud_missing_companies = '' then 'complete (fct_cloud_segment_revenue)'
            else 'partial (fct_cloud_segment_revenue): missing ' || cloud_missing_companies
        end as cloud_coverage,
        assumptions_as_of,
        'fct_ai_capex (SEC XBRL); NVIDIA data-center revenue: see nvidia_data_center_source'
            as source
    from joined
)

select * from final
