-- Warning: filings whose XBRL could not be read in full (an extraction error, unreadable
-- values, or repeated facts that disagree). Their bad facts never reach a mart.
{{ config(severity='warn') }}

select * from {{ ref('int_filing_fact_issues') }}
