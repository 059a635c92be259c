-- Gate: a segment member a covered company reports for a recent period (within
-- var recent_segment_months of its newest segment period) must be in segment_map, mapped or
-- marked not_tracked: a renamed segment (Oracle's FY2026 CloudAndSoftwareBusinessMember) would
-- otherwise drop out of fct_cloud_segment_revenue with only a warning. Older members stay a
-- warning (assert_segment_members_are_mapped).
{{ config(severity='error') }}

select * from {{ ref('int_segment_members_unmapped') }}
where is_recent
