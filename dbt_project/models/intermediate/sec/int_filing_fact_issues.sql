-- Every filing whose XBRL could not be read in full: an extraction error, facts whose value
-- could not be parsed, or repeated facts that disagree. Listed by a warn-severity test and in
-- the data-quality report; such facts never reach a mart.
with

filings as (select * from {{ ref('stg_sec__filings') }}),

final as (
    select
        ticker,
        accession_number,
        case
            when extract_error is not null then 'extract_error'
            when facts_with_errors > 0 then 'unreadable_facts'
            else 'inconsistent_duplicates'
        end as issue,
        coalesce(
            extract_error,
            case when facts_with_errors > 0 then cast(facts_with_errors as {{ dbt.type_string() }}) || ' fact(s)' end,
            inconsistent_duplicates
        ) as detail
    from filings
    where
        extract_error is not null
        or facts_with_errors > 0
        or inconsistent_duplicates is not null
)

select * from final
