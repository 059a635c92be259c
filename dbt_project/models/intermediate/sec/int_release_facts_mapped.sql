-- Earnings-release cells that release_label_map assigns to a metric (segment_id empty) or to a
-- segment's metric: same company, the table's own context (its title contains table_pattern,
-- its section and row label match section_pattern and label_pattern in full), the period's
-- end within the row's validity. The sign turns a printed outflow "(9,735)" into the positive
-- amount XBRL reports. One release can print the same figure in two tables (a statement and a
-- summary): exact repeats collapse here; two different values are a gate failure
-- (assert_release_cells_agree). A cell two rows of the map assign to different figures (a label
-- pattern too wide) keeps both here with cell_mappings 2 and stops the publish
-- (assert_release_cells_map_once). Unmapped cells stay in stg_sec__release_facts.
with

companies as (select * from {{ ref('companies') }}),

label_map as (select * from {{ ref('release_label_map') }}),

facts as (select * from {{ ref('stg_sec__release_facts') }}),

mapped as (
    select
        facts.*,
        label_map.metric,
        nullif(label_map.segment_id, '') as segment_id,
        facts.reported_value * label_map.sign as signed_value,
        count(*) over (
            partition by
                facts.accession_number, facts.table_index, facts.row_index, facts.column_index
        ) as mappings_of_cell,
        companies.fiscal_year_end_month
    from facts
    inner join companies
        on facts.ticker = companies.ticker
    inner join label_map
        on
            facts.ticker = label_map.ticker
            and {{ regex_match('facts.table_title', 'label_map.table_pattern', full=false) }}
            and {{ regex_match('facts.section', "coalesce(label_map.section_pattern, '')") }}
            and {{ regex_match('facts.row_label', 'label_map.label_pattern') }}
            and facts.period_end between label_map.valid_from and label_map.valid_to
),

final as (
    select
        ticker,
        cik,
        metric,
        segment_id,
        period_start,
        period_end,
        {{ fiscal_period_columns('period_start', 'period_end', 'fiscal_year_end_month') }},
        fiscal_year_end_month,
        min(signed_value) as reported_value,
        max(signed_value) as max_reported_value,
        count(*) as cells,
        min(table_index) as table_index,
        min(row_label) as row_label,
        max(mappings_of_cell) as cell_mappings,
        accession_number,
        filed_date,
        source_url
    from mapped
    group by
        ticker, cik, metric, segment_id, period_start, period_end, fiscal_year_end_month,
        accession_number, filed_date, source_url
)

select * from final
