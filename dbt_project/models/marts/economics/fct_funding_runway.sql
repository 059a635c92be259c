-- Company x fiscal quarter x scenario: the cash a company has, what it spends and returns, and
-- how many quarters its balance sheet carries the capex trajectory of each named scenario. The
-- rows of int_funding_runway_projected with the cash they are measured in.
with

runway as (select * from {{ ref('int_funding_runway_projected') }}),

final as (
    select
        *,
        cash_and_securities_usd - debt_usd as net_cash_usd,
        dividends_usd + share_repurchases_usd as shareholder_returns_usd,
        free_cash_flow_usd - dividends_usd - share_repurchases_usd as free_cash_flow_after_returns_usd,
        ocf_quarterly_growth as operating_cash_flow_quarterly_growth,
        -- liquidity left (cash plus undrawn debt headroom), only where it lasts: a trajectory
        -- that runs out can compound past any decimal
        case
            when runway_status = 'beyond_horizon' then projected_cash_at_horizon_usd + debt_headroom_usd
        end as cash_at_horizon_usd
    from runway
)

select {{ contract_columns() }}
from final
