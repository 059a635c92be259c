-- Warning: segment members the filings report that segment_map does not know. They are not in
-- fct_cloud_segment_revenue until someone maps them (or marks them not_tracked); this test
-- names them in the data-quality report instead of dropping them silently.
{{ config(severity='warn') }}

select * from {{ ref('int_segment_members_unmapped') }}
