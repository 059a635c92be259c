-- Discrete fiscal quarters for flow metrics (see macro discretize_quarters): a reported
-- three-month value as is, otherwise Q2 = H1 - Q1, Q3 = 9M - H1, Q4 = FY - 9M; a quarter whose
-- chain is broken is absent. XBRL and earnings releases are discretized apart and XBRL wins per
-- quarter: a quarter XBRL gives (reported or derived from its year-to-date chain) never takes
-- a release figure, and a release's year-to-date value never completes an XBRL chain.
with

xbrl_values as (
    select * from {{ ref('int_sec_values_selected') }}
    where coalesce(source, '') != 'earnings_release'
),

release_values as (
    select * from {{ ref('int_sec_values_selected') }}
    where source = 'earnings_release'
),

xbrl_quarters as (
    {{ discretize_quarters('xbrl_values', series=['cik', 'metric'], carried=['ticker', 'source']) }}
),

release_quarters as (
    {{ discretize_quarters('release_values', series=['cik', 'metric'],
                           carried=['ticker', 'source']) }}
),

final as (
    select * from xbrl_quarters

    union all

    select release_quarters.*
    from release_quarters
    left join xbrl_quarters
        on
            release_quarters.cik = xbrl_quarters.cik
            and release_quarters.metric = xbrl_quarters.metric
            and release_quarters.fiscal_year = xbrl_quarters.fiscal_year
            and release_quarters.fiscal_quarter = xbrl_quarters.fiscal_quarter
    where xbrl_quarters.cik is null
)

select * from final
