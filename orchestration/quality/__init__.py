"""Data quality: the GX suites (``gx``), the run ledger every check writes (``ledger``) and the
conversion of Dagster check results into ledger rows (``checks``)."""
