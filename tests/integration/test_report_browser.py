"""Open the analyst report of the snapshot run from disk in headless Chromium.

Every chart must be drawn (an SVG with its data points), the console must stay free of errors,
and the page must print; the screenshot and the PDF are kept in ``tests/artifacts/``. Chromium and
chromedriver come from Debian (``make browser``, run by ``make test``): missing, the test fails.
"""

import base64
import re
import shutil
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support.ui import WebDriverWait

from orchestration.report import build_run_report, write_report
from orchestration.report.charts import CHARTS

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1100,900")
# per chart section: [id, has an svg, traces drawn, traces in the figure, data points drawn]
RENDERED_JS = """
const drawn = (plot, selector) => Array.from(plot.querySelectorAll(selector))
  .filter(e => (e.getAttribute('d') || '').length > 4).length;
return Array.from(document.querySelectorAll('section.chart')).map(section => {
  const plot = section.querySelector('.js-plotly-plot');
  if (!plot) return [section.id, false, 0, 0, 0];
  const svg = plot.querySelector('svg.main-svg');
  return [section.id, !!svg && svg.getBoundingClientRect().width > 0,
          plot.querySelectorAll('.cartesianlayer .trace').length, (plot.data || []).length,
          drawn(plot, '.cartesianlayer .point path, .cartesianlayer path.point, '
                      + '.cartesianlayer path.js-line')];
});
"""

@pytest.fixture(scope="module")
def report_page(snapshot_run, snapshot_instance, tmp_path_factory) -> Path:
    result, settings = snapshot_run
    report = build_run_report(snapshot_instance, result.run_id, settings)
    reports_dir = tmp_path_factory.mktemp("analyst") / "reports"
    return write_report(reports_dir, report, settings.marts_db)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.fail("the browser test needs Debian's chromium and chromium-driver on PATH: run "
                    "`make browser` (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def test_every_chart_renders_in_chromium(browser, report_page):  # no browser: fail fast
    started = time.monotonic()
    browser.get(report_page.as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: all(svg for _, svg, *_ in d.execute_script(RENDERED_JS)))
    rendered = browser.execute_script(RENDERED_JS)

    assert [section for section, *_ in rendered] == [c.key for c in CHARTS]
    for section, _, traces, expected, points in rendered:
        assert traces == expected > 0, f"{section}: {traces} of {expected} traces drawn"
        assert points > 0, f"{section}: no data points drawn"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []

    ARTIFACTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1100, height + 100)
    assert browser.save_screenshot(str(ARTIFACTS / "report.png"))
    pdf = base64.b64decode(browser.print_page(PrintOptions()))
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / "report.pdf").write_bytes(pdf)
    print(f"browser check {time.monotonic() - started:.1f} s, page "
          f"{report_page.stat().st_size / 1e6:.1f} MB")


def test_report_page_is_offline_and_names_its_sources(report_page):
    html = report_page.read_text(encoding="utf-8")
    assert re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=", html) == []
    assert html.count("Plotly.newPlot(") == len(CHARTS)
    for chart in CHARTS:
        for mart in chart.marts:
            assert f"Mart: <code>{mart}" in html or f", {mart}" in html
    assert "@media print" in html and "break-inside:avoid" in html
    assert "Run <code>" in html and "quality.html" in html
    quality = report_page.with_name("quality.html").read_text(encoding="utf-8")
    assert "aicapex data-quality report" in quality
