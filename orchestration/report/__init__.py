"""The reports of a run, read from its ledger (``orchestration.quality.ledger``).

- ``run``: ``RunReport``, what both pages show and ``dq_results.json`` holds;
- ``quality_page``: ``quality.html`` (every check, history) and ``write_report`` (both pages);
- ``analyst``: ``index.html``, the charts of the published marts with a quality summary;
- ``charts``: one pure function per chart; ``html``: shared HTML building blocks.

Imports go one way: quality_page -> analyst -> charts, html, run -> quality.ledger.
"""

from orchestration.report.quality_page import write_report
from orchestration.report.run import RunReport, build_run_report

__all__ = ["RunReport", "build_run_report", "write_report"]
