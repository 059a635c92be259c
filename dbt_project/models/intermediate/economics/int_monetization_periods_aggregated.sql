-- Calendar period, for both grains fct_ai_monetization and its annual twin publish: `quarter`
-- (calendar_quarter 1-4, from company quarters) and `year` (calendar_quarter 0, from fiscal
-- years, each placed in the calendar year it overlaps most). Hyperscaler capex and cloud
-- segment revenue with their coverage (a company that did not report is listed, never filled),
-- NVIDIA's revenue and data-center revenue, on one spine from the first to the last period with
-- capex or data-center revenue.
with

financials as (
    select
        *,
        calendar_year * 10 + case when period_grain = 'quarter' then calendar_quarter else 0 end
            as period_key
    from {{ ref('int_sec_financials_pivoted') }}
),

segments as (
    select
        *,
        calendar_year * 10 + case when period_grain = 'quarter' then calendar_quarter else 0 end
            as period_key
    from {{ ref('int_segment_revenue_pivoted') }}
),

sequoia as (select * from {{ ref('int_sequoia_required_revenue') }}),

assumptions as (select * from {{ ref('int_assumptions_pivoted') }}),

companies as (select * from {{ ref('companies') }}),

cloud_segments as (select * from {{ ref('cloud_revenue_segments') }}),

hyperscalers as (
    select ticker from companies
    where is_hyperscaler
),

hyperscaler_capex as (
    select financials.*
    from financials
    inner join hyperscalers
        on financials.ticker = hyperscalers.ticker
    where financials.capex_usd is not null
),

cloud_by_company as (
    select segments.*
    from segments
    inner join cloud_segments
        on
            segments.ticker = cloud_segments.ticker
            and segments.segment = cloud_segments.segment
    where segments.revenue_usd is not null
),

data_center as (
    select
        'quarter' as period_grain,
        calendar_year,
        calendar_quarter as calendar_period,
        calendar_year * 10 + calendar_quarter as period_key,
        1 as data_center_quarters,
        data_center_revenue_usd,
        data_center_run_rate_usd,
        required_revenue_usd as data_center_required_revenue_usd,
        source as data_center_source,
        source_url as data_center_source_url
    from sequoia

    union all

    select
        'year' as period_grain,
        calendar_year,
        0 as calendar_period,
        calendar_year * 10 as period_key,
        count(*) as data_center_quarters,
        sum(data_center_revenue_usd) as data_center_revenue_usd,
        cast(null as decimal(38, 2)) as data_center_run_rate_usd,
        cast(null as decimal(38, 2)) as data_center_required_revenue_usd,
        {{ dbt.listagg('distinct source', "', '", 'order by source') }} as data_center_source,
        cast(null as {{ dbt.type_string() }}) as data_center_source_url
    from sequoia
    group by calendar_year
),

bounds as (
    select
        min(case when period_grain = 'quarter' then calendar_year * 4 + calendar_period - 1 end)
            as first_quarter_index,
        max(case when period_grain = 'quarter' then calendar_year * 4 + calendar_period - 1 end)
            as last_quarter_index,
        min(case when period_grain = 'year' then calendar_year end) as first_year,
        max(case when period_grain = 'year' then calendar_year end) as last_year
    from (
        select
            period_grain,
            calendar_year,
            calendar_quarter as calendar_period
        from hyperscaler_capex

        union all

        select
            period_grain,
            calendar_year,
            calendar_period
        from data_center
    ) as covered
),

quarter_spine as (
    {{ integer_series('quarter_index', 'first_quarter_index', 'last_quarter_index', 'bounds') }}
),

year_spine as (
    {{ integer_series('calendar_year', 'first_year', 'last_year', 'bounds') }}
),

calendar as (
    select
        *,
        calendar_year * 10 + calendar_period as period_key
    from (
        select
            'quarter' as period_grain,
            cast(floor(quarter_index / 4) as integer) as calendar_year,
            cast(quarter_index - 4 * floor(quarter_index / 4) + 1 as integer) as calendar_period
        from quarter_spine

        union all

        select
            'year' as period_grain,
            cast(calendar_year as integer) as calendar_year,
            0 as calendar_period
        from year_spine
    ) as periods
),

capex_by_period as (
    select
        calendar.period_key,
        sum(hyperscaler_capex.capex_usd) as hyperscaler_capex_usd,
        count(hyperscaler_capex.ticker) as companies_reporting,
        {{ dbt.listagg(
            "hyperscaler_capex.ticker || ' FY' || cast(hyperscaler_capex.fiscal_year as "
            ~ dbt.type_string() ~ ")",
            "', '",
            "order by hyperscaler_capex.ticker"
        ) }} as fiscal_years_used
    from calendar
    left join hyperscaler_capex
        on calendar.period_key = hyperscaler_capex.period_key
    group by calendar.period_key
),

cloud_by_period as (
    select
        calendar.period_key,
        sum(current_year.revenue_usd) as cloud_revenue_usd,
        count(current_year.ticker) as cloud_companies_reporting,
        sum(current_year.revenue_usd - prior_year.revenue_usd) as cloud_revenue_yoy_increment_usd
    from calendar
    inner join cloud_by_company as current_year
        on calendar.period_key = current_year.period_key
    left join cloud_by_company as prior_year
        on
            current_year.ticker = prior_year.ticker
            and current_year.period_key - 10 = prior_year.period_key
    group by calendar.period_key
),

-- who should report each measure, and who did: the companies missing from a period are listed
expected as (
    select
        'capex' as measure,
        ticker
    from hyperscalers

    union all

    select
        'cloud' as measure,
        ticker
    from cloud_segments
),

reported as (
    select
        'capex' as measure,
        period_key,
        ticker
    from hyperscaler_capex

    union all

    select
        'cloud' as measure,
        period_key,
        ticker
    from cloud_by_company
),

missing as (
    select
        calendar.period_key,
        {{ dbt.listagg(
            "case when expected.measure = 'capex' then expected.ticker end",
            "', '",
            "order by expected.ticker"
        ) }} as missing_companies,
        {{ dbt.listagg(
            "case when expected.measure = 'cloud' then expected.ticker end",
            "', '",
            "order by expected.ticker"
        ) }} as cloud_missing_companies
    from calendar
    cross join expected
    left join reported
        on
            calendar.period_key = reported.period_key
            and expected.measure = reported.measure
            and expected.ticker = reported.ticker
    where reported.ticker is null
    group by calendar.period_key
),

counts as (
    select
        (select count(*) from hyperscalers) as companies_expected,
        (select count(*) from cloud_segments) as cloud_companies_expected
),

final as (
    select
        calendar.period_grain,
        calendar.calendar_year,
        calendar.calendar_period as calendar_quarter,
        cast(capex_by_period.hyperscaler_capex_usd as decimal(38, 2)) as hyperscaler_capex_usd,
        cast(counts.companies_expected as integer) as companies_expected,
        cast(capex_by_period.companies_reporting as integer) as companies_reporting,
        coalesce(missing.missing_companies, '') as missing_companies,
        coalesce(capex_by_period.fiscal_years_used, '') as fiscal_years_used,
        case
            when capex_by_period.companies_reporting = counts.companies_expected then 'complete'
            when capex_by_period.companies_reporting = 0 then 'none'
            else 'partial'
        end as capex_coverage,
        cast(nvidia.revenue_usd as decimal(38, 2)) as nvidia_revenue_usd,
        nvidia.source_accession as nvidia_revenue_accession,
        cast(nvidia.fiscal_year as integer) as nvidia_fiscal_year,
        cast(coalesce(data_center.data_center_quarters, 0) as integer) as data_center_quarters,
        data_center.data_center_revenue_usd,
        data_center.data_center_run_rate_usd,
        data_center.data_center_required_revenue_usd,
        data_center.data_center_source,
        data_center.data_center_source_url,
        cloud_by_period.cloud_revenue_usd,
        cloud_by_period.cloud_revenue_yoy_increment_usd,
        cast(counts.cloud_companies_expected as integer) as cloud_companies_expected,
        cast(coalesce(cloud_by_period.cloud_companies_reporting, 0) as integer)
            as cloud_companies_reporting,
        coalesce(missing.cloud_missing_companies, '') as cloud_missing_companies,
        assumptions.tco_multiple,
        assumptions.end_user_margin,
        assumptions.assumptions_as_of
    from calendar
    cross join counts
    cross join assumptions
    left join capex_by_period
        on calendar.period_key = capex_by_period.period_key
    left join missing
        on calendar.period_key = missing.period_key
    left join financials as nvidia
        on
            calendar.period_key = nvidia.period_key
            and nvidia.ticker = 'NVDA'
    left join data_center
        on calendar.period_key = data_center.period_key
    left join cloud_by_period
        on calendar.period_key = cloud_by_period.period_key
)

select * from final
