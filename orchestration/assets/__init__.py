"""Thin Dagster assets: extract -> raw landing -> raw.* -> dbt -> gates -> publish."""
