"""Raw DDL and load SQL of SEC company facts and submissions (``raw.sec_company_facts``,
``raw.sec_submissions``).

The flattening runs in DuckDB: ``read_json`` with an explicit MAP/STRUCT schema, then
``map_entries`` + ``unnest`` (≈ 200 MB/s here, versus ≈ 27 MB/s for a pandas loop). Files are
synced by content hash (``orchestration.sources.raw.sync_files``: only new or changed files
are read).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.sources.raw import SyncResult, sync_files

COMPANY_FACTS_COLUMNS = """
    cik bigint, taxonomy varchar, concept varchar, unit varchar, period_start date,
    period_end date, val decimal(38, 6), accn varchar, fy integer, fp varchar, form varchar,
    filed date, frame varchar, source_file varchar
"""

_FACTS_SCHEMA = (
    "MAP(VARCHAR, MAP(VARCHAR, STRUCT(label VARCHAR, units MAP(VARCHAR, STRUCT("
    '"start" DATE, "end" DATE, val DECIMAL(38,6), accn VARCHAR, fy INTEGER, fp VARCHAR, '
    "form VARCHAR, filed DATE, frame VARCHAR)[]))))"
)

COMPANY_FACTS_SELECT = f"""
with doc as (
    select cik, facts, substr(filename, $name_from) as source_file
    from read_json($files, format = 'unstructured', records = true, filename = true,
                   maximum_object_size = $max_object_size,
                   columns = {{cik: 'BIGINT', facts: '{_FACTS_SCHEMA}'}})
),
taxonomies as (
    select cik, source_file, unnest(map_entries(facts)) as t from doc
),
concepts as (
    select cik, source_file, t.key as taxonomy, unnest(map_entries(t.value)) as c
    from taxonomies
),
units as (
    select cik, source_file, taxonomy, c.key as concept, unnest(map_entries(c.value.units)) as u
    from concepts
),
facts as (
    select cik, source_file, taxonomy, concept, u.key as unit, unnest(u.value) as f from units
)
select cik, taxonomy, concept, unit, f.start, f."end", f.val, f.accn, f.fy, f.fp, f.form,
       f.filed, f.frame, source_file
from facts
"""

SUBMISSIONS_COLUMNS = """
    cik bigint, entity_name varchar, accession_number varchar, form varchar, filing_date date,
    report_date date, primary_document varchar, source_file varchar
"""

SUBMISSIONS_SELECT = """
with doc as (
    select cik, name, filings.recent as r, substr(filename, $name_from) as source_file
    from read_json($files, format = 'unstructured', records = true, filename = true,
                   maximum_object_size = $max_object_size,
                   columns = {cik: 'VARCHAR', name: 'VARCHAR', filings: 'STRUCT(recent STRUCT(
                       accessionNumber VARCHAR[], filingDate VARCHAR[], reportDate VARCHAR[],
                       form VARCHAR[], primaryDocument VARCHAR[]))'})
),
rows as (
    select cast(cik as bigint) as cik, name, source_file,
           unnest(r.accessionNumber) as accession_number, unnest(r.form) as form,
           unnest(r.filingDate) as filing_date, unnest(r.reportDate) as report_date,
           unnest(r.primaryDocument) as primary_document
    from doc
)
select cik, name, accession_number, form, try_cast(filing_date as date),
       try_cast(nullif(report_date, '') as date), primary_document, source_file
from rows
"""


def load_company_facts(con: duckdb.DuckDBPyConnection, files: list[Path] | dict[str, str],
                       root: Path | None = None) -> SyncResult:
    return sync_files(con, "sec_company_facts", COMPANY_FACTS_COLUMNS, COMPANY_FACTS_SELECT, files,
                      root)


def load_submissions(con: duckdb.DuckDBPyConnection, files: list[Path] | dict[str, str],
                     root: Path | None = None) -> SyncResult:
    return sync_files(con, "sec_submissions", SUBMISSIONS_COLUMNS, SUBMISSIONS_SELECT, files,
                      root)
