"""`flask report-benchmark` builds a large pairing in a throwaway database and prints how
long each report format takes (no timing is asserted: machines differ)."""

import re

import sqlalchemy as sa

from exchange.organisations.models import Organisation


def test_the_benchmark_prints_its_figures_without_touching_the_database(app, db):
    result = app.test_cli_runner().invoke(
        args=["report-benchmark", "--activities", "5", "--repeat", "1"]
    )
    assert result.exit_code == 0, result.output
    output = result.output
    assert "5 activities" in output
    for name in ("report (queries only)", "XLSX", "CSV"):
        line = next(line for line in output.splitlines() if line.startswith(name))
        assert re.search(r"min +\d+\.\d{3} s +median +\d+\.\d{3} s", line), line
    for name in ("XLSX", "CSV"):
        line = next(line for line in output.splitlines() if line.startswith(name))
        assert re.search(r"[\d,]+ bytes", line), line
    pdf = next(line for line in output.splitlines() if line.startswith("PDF"))
    assert "pages" in pdf or "not timed" in pdf
    # the app's own database is untouched
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_the_benchmark_refuses_nonsense_sizes(app):
    result = app.test_cli_runner().invoke(args=["report-benchmark", "--activities", "0"])
    assert result.exit_code != 0
    assert "activities" in result.output


def test_the_page_count_is_read_without_pypdf_too():
    from weasyprint import HTML

    from exchange.reports.benchmark import _page_tree_count, pdf_pages

    pages = "".join(f'<h1 class="page">{n}</h1>' for n in range(3))
    html = f"<style>.page {{ break-before: page }}</style>{pages}"
    data = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf_pages(data) == 3
    assert _page_tree_count(data) == 3
