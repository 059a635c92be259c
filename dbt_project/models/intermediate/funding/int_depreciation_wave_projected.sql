-- Company x fiscal quarter x useful-life scenario (depreciation_scenarios): the depreciation
-- the capex already spent generates if every capex dollar is depreciated straight-line over
-- the scenario's life L (in quarters, 4L; company_policy: the life in force when the capex was
-- spent), against reported D&A.
--   scenario_depreciation(q) = sum over vintages v <= q with q - v < 4 L_v of capex_v / (4 L_v)
--   committed_next_4q(q) = sum over v <= q of capex_v / (4 L_v) x greatest(0, least(4, 4 L_v - 1 - (q - v)))
-- Only with a complete capex history (every quarter of the longest life in the window);
-- otherwise null with the reason. The revenue needed next year to keep D&A at most
-- max_depreciation_share_of_revenue (assumptions) = committed_next_4q / that share, and the
-- growth over TTM revenue it takes.
-- The year grain (period_grain 'year', fct_depreciation_wave_annual): per fiscal year of the
-- annual reports, the scenario depreciation summed over the year's four quarters (only when all
-- four have a complete history), the committed depreciation of the next fiscal year (the
-- year's fourth quarter's next four quarters), against the year's reported D&A and revenue and
-- the twelve-month tagged useful-life effects.
{%- set effects = ['depreciation', 'operating_expense', 'operating_income', 'net_income'] %}

with

flows as (select * from {{ ref('int_funding_flows_pivoted') }}),

quarters as (
    select * from flows
    where period_grain = 'quarter'
),

years as (
    select * from flows
    where period_grain = 'year'
),

scenario_rows as (select * from {{ ref('depreciation_scenarios') }}),

assumptions as (
    select value as max_depreciation_share_of_revenue
    from {{ ref('assumptions') }}
    where assumption = 'max_depreciation_share_of_revenue' and scenario = 'all'
),

-- each capex quarter (vintage) with the life each scenario gives it
vintages as (
    select
        quarters.cik,
        quarters.period_index as vintage_index,
        quarters.capex_usd,
        scenario_rows.scenario,
        cast(round(4 * scenario_rows.useful_life_years) as integer) as life_quarters
    from quarters
    inner join scenario_rows
        on
            scenario_rows.ticker in ('all', quarters.ticker)
            and quarters.period_end between scenario_rows.valid_from and scenario_rows.valid_to
    where quarters.capex_usd is not null
),

scenario_lives as (
    select
        quarters.ticker,
        quarters.cik,
        scenario_rows.scenario,
        max(cast(round(4 * scenario_rows.useful_life_years) as integer)) as longest_life_quarters,
        max(scenario_rows.source) as scenario_source
    from quarters
    inner join scenario_rows
        on scenario_rows.ticker in ('all', quarters.ticker)
    group by quarters.ticker, quarters.cik, scenario_rows.scenario
),

bases as (
    select
        quarters.*,
        scenario_lives.scenario,
        scenario_lives.longest_life_quarters,
        scenario_lives.scenario_source
    from quarters
    inner join scenario_lives
        on quarters.cik = scenario_lives.cik
),

windowed as (
    select
        bases.cik,
        bases.period_index,
        bases.scenario,
        {{ exact_sum(
            'case
                when bases.period_index - vintages.vintage_index < vintages.life_quarters
                    then vintages.capex_usd / vintages.life_quarters
                else 0
            end'
        ) }} as scenario_depreciation_usd,
        {{ exact_sum(
            'vintages.capex_usd / vintages.life_quarters
            * greatest(0, least(4, vintages.life_quarters - 1 - (bases.period_index - vintages.vintage_index)))'
        ) }} as committed_depreciation_next_4q_usd,
        sum(
            case
                when bases.period_index - vintages.vintage_index < bases.longest_life_quarters then 1
                else 0
            end
        ) as capex_quarters_in_window
    from bases
    inner join vintages
        on
            bases.cik = vintages.cik
            and bases.scenario = vintages.scenario
            and bases.period_index >= vintages.vintage_index
            and vintages.vintage_index > bases.period_index - bases.longest_life_quarters
    group by bases.cik, bases.period_index, bases.scenario
),

revenue_ttm as (
    select
        cik,
        period_index,
        {{ trailing_four_quarter_sum('revenue_usd', 'trailing_four') }} as revenue_ttm_usd,
        {{ trailing_four_quarter_sum('depreciation_amortization_usd', 'trailing_four') }}
            as reported_depreciation_ttm_usd
    from quarters
    window trailing_four as ({{ trailing_four_quarters_window() }})
),

joined as (
    select
        bases.*,
        coalesce(windowed.capex_quarters_in_window, 0) as capex_quarters_in_window,
        coalesce(windowed.capex_quarters_in_window, 0) = bases.longest_life_quarters as history_complete,
        windowed.scenario_depreciation_usd,
        windowed.committed_depreciation_next_4q_usd,
        revenue_ttm.revenue_ttm_usd,
        revenue_ttm.reported_depreciation_ttm_usd,
        assumptions.max_depreciation_share_of_revenue
    from bases
    left join windowed
        on
            bases.cik = windowed.cik
            and bases.period_index = windowed.period_index
            and bases.scenario = windowed.scenario
    left join revenue_ttm
        on bases.cik = revenue_ttm.cik and bases.period_index = revenue_ttm.period_index
    cross join assumptions
),

quarter_waves as (
    select
        'quarter' as period_grain,
        {{ company_period_columns() }},
        scenario,
        longest_life_quarters,
        scenario_source,
        capex_usd,
        capex_quarters_in_window,
        history_complete,
        scenario_depreciation_usd,
        depreciation_amortization_usd,
        committed_depreciation_next_4q_usd,
        revenue_ttm_usd,
        reported_depreciation_ttm_usd,
        max_depreciation_share_of_revenue,
        {% for effect in effects -%}
            useful_life_{{ effect }}_effect_usd,
            useful_life_{{ effect }}_effect_accession,
        {% endfor -%}
        servers_network_gross_ppe_usd,
        case
            when not history_complete
                then 'capex history shorter than the useful life: '
                    || cast(capex_quarters_in_window as {{ dbt.type_string() }}) || ' of '
                    || cast(longest_life_quarters as {{ dbt.type_string() }}) || ' quarters reported'
        end as wave_missing_reason,
        source,
        source_accession,
        filed_date
    from joined
),

-- per fiscal year and scenario: how many of its quarters have a complete history, their
-- depreciation, and the fourth quarter's window and commitment
year_totals as (
    select
        cik,
        fiscal_year,
        scenario,
        sum(case when history_complete then 1 else 0 end) as complete_quarters,
        {{ exact_sum('scenario_depreciation_usd') }} as scenario_depreciation_usd,
        max(case when fiscal_quarter = 4 then capex_quarters_in_window end) as capex_quarters_in_window,
        max(case when fiscal_quarter = 4 then committed_depreciation_next_4q_usd end)
            as committed_depreciation_next_4q_usd
    from quarter_waves
    group by cik, fiscal_year, scenario
),

year_waves as (
    select
        'year' as period_grain,
        {{ company_period_columns('years') }},
        scenario_lives.scenario,
        scenario_lives.longest_life_quarters,
        scenario_lives.scenario_source,
        years.capex_usd,
        coalesce(year_totals.capex_quarters_in_window, 0) as capex_quarters_in_window,
        coalesce(year_totals.complete_quarters, 0) = 4 as history_complete,
        year_totals.scenario_depreciation_usd,
        years.depreciation_amortization_usd,
        year_totals.committed_depreciation_next_4q_usd,
        years.revenue_usd as revenue_ttm_usd,
        years.depreciation_amortization_usd as reported_depreciation_ttm_usd,
        assumptions.max_depreciation_share_of_revenue,
        {% for effect in effects -%}
            years.useful_life_{{ effect }}_effect_usd,
            years.useful_life_{{ effect }}_effect_accession,
        {% endfor -%}
        years.servers_network_gross_ppe_usd,
        case
            when coalesce(year_totals.complete_quarters, 0) < 4
                then 'capex history shorter than the useful life: '
                    || cast(coalesce(year_totals.complete_quarters, 0) as {{ dbt.type_string() }})
                    || ' of 4 quarters in the year complete'
        end as wave_missing_reason,
        years.source,
        years.source_accession,
        years.filed_date
    from years
    inner join scenario_lives
        on years.cik = scenario_lives.cik
    left join year_totals
        on
            years.cik = year_totals.cik
            and years.fiscal_year = year_totals.fiscal_year
            and scenario_lives.scenario = year_totals.scenario
    cross join assumptions
),

waves as (
    select * from quarter_waves
    union all
    select * from year_waves
),

final as (
    select
        period_grain,
        {{ company_period_columns() }},
        scenario,
        cast(longest_life_quarters as double) / 4 as useful_life_years,
        scenario_source,
        capex_usd,
        cast(capex_quarters_in_window as integer) as capex_quarters_in_window,
        case when history_complete then scenario_depreciation_usd end as scenario_depreciation_usd,
        depreciation_amortization_usd as reported_depreciation_amortization_usd,
        case
            when history_complete
                then scenario_depreciation_usd - depreciation_amortization_usd
        end as depreciation_gap_usd,
        case when history_complete then committed_depreciation_next_4q_usd end
            as committed_depreciation_next_4q_usd,
        revenue_ttm_usd,
        reported_depreciation_ttm_usd,
        max_depreciation_share_of_revenue,
        case
            when history_complete
                then committed_depreciation_next_4q_usd / max_depreciation_share_of_revenue
        end as revenue_needed_next_4q_usd,
        case
            when history_complete
                then 100 * ({{ safe_divide('committed_depreciation_next_4q_usd / max_depreciation_share_of_revenue',
                                           'revenue_ttm_usd') }} - 1)
        end as revenue_growth_needed_pct,
        {% for effect in effects -%}
            useful_life_{{ effect }}_effect_usd,
        {% endfor -%}
        coalesce(
            {% for effect in effects -%}
                useful_life_{{ effect }}_effect_accession{{ ',' if not loop.last }}
            {% endfor -%}
        ) as useful_life_effect_accession,
        servers_network_gross_ppe_usd,
        wave_missing_reason,
        source,
        source_accession,
        filed_date
    from waves
)

select * from final
