"""Reports over the aggregates: grouped by day, Monday-based week or month and by centre,
service or department; exported as CSV and XLSX that add up to the aggregates, and a centre's
monthly PDF in kk, ru and en; each within the caller's scope."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from onestop.accounts.models import RoleAssignment, User
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.monitoring import aggregates, report_exports, reports
from onestop.monitoring.models import CaseDay, ComplaintDay, QueueDay, RatingDay
from tests.conftest import PASSWORD, api_token
from tests.monitoring.test_aggregates import day  # noqa: F401  (the simulated day)
from tests.queue.conftest import OPEN_MOMENT

pytestmark = pytest.mark.django_db

DAY = OPEN_MOMENT.date()  # Wednesday 2 December 2026
RANGE = "start=2026-11-01&end=2026-12-31"


@pytest.fixture
def folded(day: None) -> None:  # noqa: F811
    aggregates.refresh(grace=0)


def _total(model: Any, name: str) -> int:
    return int(model.objects.aggregate(total=Sum(name))["total"] or 0)


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _regional_analyst_of_ast() -> User:
    user = User.objects.create_user("regional1", password=PASSWORD)
    region = Centre.objects.get(code="AST-01").region
    RoleAssignment.objects.create(user=user, role="regional_analyst", region=region)
    return user


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    sunday, monday = date(2026, 12, 6), date(2026, 12, 7)
    assert reports.period_start("week", sunday) == date(2026, 11, 30)
    assert reports.period_start("week", monday) == monday
    assert reports.period_label("week", date(2026, 11, 30)) == "2026-W49"
    assert reports.period_start("month", sunday) == date(2026, 12, 1)
    assert reports.period_label("month", date(2026, 12, 1)) == "2026-12"
    assert reports.period_start("day", sunday) == sunday


def test_a_report_by_week_and_centre_adds_up_to_the_aggregates(folded: None) -> None:
    report = reports.build(
        kind="week",
        dimension="centre",
        start=date(2026, 11, 1),
        end=date(2026, 12, 31),
        scope=reports.Scope(),
    )
    assert [(row.period, row.period_start, row.code) for row in report.rows] == [
        ("2026-W49", date(2026, 11, 30), "AST-01")
    ]
    figures = report.rows[0].figures
    assert figures.issued == _total(QueueDay, "issued") == 6
    assert figures.served == _total(QueueDay, "served")
    assert figures.decided == _total(CaseDay, "decided") > 0
    assert figures.ratings == _total(RatingDay, "ratings") == 2
    assert figures.complaints == _total(ComplaintDay, "registered") == 1
    assert figures.avg_score == round((23 + 11) / 10, 2)
    by_service = reports.build(
        kind="day", dimension="service", start=DAY, end=DAY, scope=reports.Scope()
    )
    assert {row.code for row in by_service.rows} >= {"MJ-ID-CARD", "MJ-APOSTILLE"}
    assert sum(row.figures.issued for row in by_service.rows) == 6
    by_department = reports.build(
        kind="month", dimension="department", start=DAY, end=DAY, scope=reports.Scope()
    )
    assert [c.key for c in by_department.columns] == [
        "decided",
        "decided_on_time_share",
        "complaints",
    ]
    assert by_department.totals.decided == _total(CaseDay, "decided")


def test_the_csv_export_adds_up_to_the_aggregates(folded: None, login: Any) -> None:
    client = login("analyst1")
    response = client.get(f"/monitoring/reports/export.csv?period=day&by=service&{RANGE}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response.content)
    assert {row["period"] for row in rows} == {"2026-12-02"}
    for name in ("issued", "served", "no_shows", "waits_over_target"):
        assert sum(int(row[name]) for row in rows) == _total(QueueDay, name), name
    assert sum(int(row["decided"]) for row in rows) == _total(CaseDay, "decided")
    assert "complaints" not in rows[0]  # complaints belong to centres and departments


def test_the_xlsx_export_opens_with_headings_formats_and_a_chart(folded: None, login: Any) -> None:
    client = login("analyst1")
    with clock.frozen_at(OPEN_MOMENT):
        response = client.get(
            "/monitoring/reports/export.xlsx?period=month&by=centre", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200, response.content
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    assert headings[:4] == ["Period", "Code", "Centre", "Tickets issued"]
    assert "Decided on time, %" in headings
    assert sheet.freeze_panes == "A2"
    centre = Centre.objects.get(code="AST-01")
    assert (sheet["A2"].value, sheet["B2"].value, sheet["D2"].value) == ("2026-12", "AST-01", 6)
    assert sheet["C2"].value == centre.name_en
    on_time = sheet.cell(row=2, column=headings.index("Decided on time, %") + 1)
    assert on_time.number_format == "0.0%"
    chart_sheet = book.worksheets[1]
    assert chart_sheet["A2"].value == "AST-01"
    assert chart_sheet["C2"].value == _total(QueueDay, "served")
    assert len(chart_sheet._charts) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "month_name"), [("kk", "Желтоқсан"), ("ru", "Декабрь"), ("en", "December")]
)
def test_the_monthly_pdf_reads_back_in_each_language(
    folded: None, language: str, month_name: str
) -> None:
    centre = Centre.objects.get(code="AST-01")
    month = reports.centre_month(centre, year=2026, month=12)
    assert sum(served for _day, served in month.served_by_day) == _total(QueueDay, "served")
    assert len(month.served_by_day) == 31
    pdf = report_exports.monthly_pdf(month, language=language)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    name = getattr(centre, f"name_{language}")
    assert name.split()[0] in text and "AST-01" in text
    assert month_name in text and "2026" in text
    assert "01.12.2026" in text and "31.12.2026" in text


def test_the_monthly_pdf_is_served_in_the_viewers_language(folded: None, login: Any) -> None:
    client = login("manager1")
    response = client.get(
        "/monitoring/reports/centres/AST-01/2026-12.pdf", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Декабрь 2026" in text
    assert client.get("/monitoring/reports/centres/ALA-01/2026-12.pdf").status_code == 403
    assert client.get("/monitoring/reports/centres/AST-01/2026-13.pdf").status_code == 400
    assert client.get("/monitoring/reports/centres/NOPE-01/2026-12.pdf").status_code == 404
    page = client.get(f"/monitoring/reports/?period=month&{RANGE}").content.decode()
    assert 'data-code="AST-01"' in page and "ALA-01" not in page
    assert "/monitoring/reports/centres/AST-01/2026-12.pdf" in page


def test_the_page_shows_the_table_the_chart_and_the_downloads(folded: None, login: Any) -> None:
    client = login("analyst1")
    page = client.get(f"/monitoring/reports/?period=week&by=centre&{RANGE}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-period="2026-W49" data-code="AST-01"' in html
    assert 'id="report-chart"' in html and "<rect" in html
    assert "/monitoring/reports/export.csv?" in html and "/monitoring/reports/export.xlsx?" in html
    assert 'id="report-totals"' in html
    overview = client.get("/monitoring/").content.decode()
    assert 'href="/monitoring/reports/"' in overview


def test_a_regional_analyst_cannot_export_another_region(folded: None, client: Client) -> None:
    _regional_analyst_of_ast()
    client.force_login(User.objects.get(username="regional1"))
    other = Centre.objects.get(code="ALA-01")
    own = client.get(f"/monitoring/reports/export.csv?{RANGE}")
    assert own.status_code == 200 and {r["code"] for r in _csv(own.content)} == {"AST-01"}
    assert (
        client.get(f"/monitoring/reports/export.csv?region={other.region.code}").status_code == 403
    )
    assert client.get("/monitoring/reports/export.xlsx?centre=ALA-01").status_code == 403
    token = api_token(client, "regional1")
    auth = {"authorization": f"Bearer {token}"}
    refused = client.get(f"/api/v1/stats/reports?region={other.region.code}", headers=auth)
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    pdf = client.get("/api/v1/stats/reports/centres/ALA-01/2026-12.pdf", headers=auth)
    assert pdf.status_code == 403


def test_a_manager_gets_their_own_centre_only(folded: None, client: Client) -> None:
    token = api_token(client, "manager1")
    auth = {"authorization": f"Bearer {token}"}
    own = client.get(f"/api/v1/stats/reports?period=month&{RANGE}", headers=auth)
    assert own.status_code == 200, own.content
    data = own.json()
    assert data["centre"] == "AST-01" and [r["code"] for r in data["rows"]] == ["AST-01"]
    assert data["rows"][0]["issued"] == 6 and data["totals"]["issued"] == 6
    assert client.get("/api/v1/stats/reports?centre=ALA-01", headers=auth).status_code == 403
    assert client.get("/api/v1/stats/reports?region=AST", headers=auth).status_code == 403
    xlsx = client.get(f"/api/v1/stats/reports?format=xlsx&{RANGE}", headers=auth)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get("/api/v1/stats/reports/centres/AST-01/2026-12.pdf", headers=auth)
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_an_operator_is_refused_and_bad_requests_are_400(folded: None, client: Client) -> None:
    auth = {"authorization": f"Bearer {api_token(client, 'operator1')}"}
    refused = client.get("/api/v1/stats/reports", headers=auth)
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_report_reader"
    assert (
        client.get("/api/v1/stats/reports/centres/AST-01/2026-12.pdf", headers=auth).status_code
        == 403
    )
    client.force_login(User.objects.get(username="operator1"))
    assert client.get("/monitoring/reports/").status_code == 403
    assert client.get("/monitoring/reports/export.csv").status_code == 403
    assert client.get("/api/v1/stats/reports").status_code == 403
    client.logout()
    assert client.get("/api/v1/stats/reports").status_code == 401

    auth = {"authorization": f"Bearer {api_token(client, 'analyst1')}"}
    for query, code in (
        ("period=year", "invalid_period_kind"),
        ("by=window", "invalid_dimension"),
        ("start=2026-12-31&end=2026-12-01", "invalid_period"),
        ("start=yesterday", "invalid_date"),
        ("format=pdf", "invalid_format"),
    ):
        bad = client.get(f"/api/v1/stats/reports?{query}", headers=auth)
        assert bad.status_code == 400, query
        assert bad.json()["code"] == code
    month = client.get("/api/v1/stats/reports/centres/AST-01/2026-1.pdf", headers=auth)
    assert month.status_code == 400 and month.json()["code"] == "invalid_month"
    missing = client.get("/api/v1/stats/reports/centres/NOPE-01/2026-12.pdf", headers=auth)
    assert missing.status_code == 404
