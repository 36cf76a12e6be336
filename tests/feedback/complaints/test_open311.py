"""The Open311 GeoReport v2 endpoints, driven the way a civic client drives them: discovery,
the service list, a service's definition, a form-encoded POST with `attribute[…]`, then GETs
of the request and of the list. JSON only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onestop.feedback.complaints.models import Complaint
from tests.feedback.complaints.conftest import IIN, PHONE, Desk

pytestmark = pytest.mark.django_db

ROOT = "/open311/v2"


class GeoReportClient:
    """The calls a GeoReport v2 client makes, following only the specification."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _get(self, path: str, **params: str) -> tuple[int, Any]:
        response = self.client.get(path, params)
        assert response["Content-Type"].startswith("application/json")
        return response.status_code, json.loads(response.content.decode("utf-8"))

    def discovery(self) -> Any:
        return self._get("/open311/discovery.json")[1]

    def services(self) -> Any:
        return self._get(f"{ROOT}/services.json", jurisdiction_id="onestop.kz")[1]

    def definition(self, code: str) -> tuple[int, Any]:
        return self._get(f"{ROOT}/services/{code}.json")

    def post(self, service_code: str, attributes: dict[str, str], **fields: str) -> tuple[int, Any]:
        form = {"api_key": "demo", "service_code": service_code, **fields}
        form.update({f"attribute[{code}]": value for code, value in attributes.items()})
        response = self.client.post(f"{ROOT}/requests.json", form)  # form-encoded
        return response.status_code, json.loads(response.content.decode("utf-8"))

    def request(self, request_id: str) -> tuple[int, Any]:
        return self._get(f"{ROOT}/requests/{request_id}.json")

    def requests(self, **params: str) -> tuple[int, Any]:
        return self._get(f"{ROOT}/requests.json", **params)


@pytest.fixture
def civic(client: Client, wednesday: None) -> GeoReportClient:
    return GeoReportClient(client)


ATTRIBUTES = {"iin": IIN, "against": "centre", "language": "ru", "consent": "yes"}


def _posted(civic: GeoReportClient, **fields: str) -> str:
    status, body = civic.post(
        "staff_behaviour",
        ATTRIBUTES,
        address_id="AST-01",
        first_name="Асқар",
        last_name="Ахметов",
        phone=PHONE,
        description="Rude at window 3.",
        **fields,
    )
    assert status == 200, body
    return str(body[0]["service_request_id"])


def test_the_discovery_document_points_to_the_json_endpoint(civic: GeoReportClient) -> None:
    [endpoint] = civic.discovery()["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["formats"] == ["application/json"]


def test_the_services_are_the_complaint_categories(civic: GeoReportClient) -> None:
    services = civic.services()
    assert [s["service_code"] for s in services] == [
        "unjustified_refusal",
        "missed_deadline",
        "incomplete_service",
        "extra_documents",
        "staff_behaviour",
        "other",
    ]
    for service in services:
        assert service["metadata"] is True and service["type"] == "realtime"
        assert set(service) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }


def test_a_service_definition_lists_the_attributes_a_client_must_send(
    civic: GeoReportClient,
) -> None:
    status, definition = civic.definition("missed_deadline")
    assert status == 200 and definition["service_code"] == "missed_deadline"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert {code for code, a in attributes.items() if a["required"]} == {
        "iin",
        "against",
        "consent",
    }
    assert [a["order"] for a in definition["attributes"]] == list(range(1, 8))
    centres = {v["key"] for v in attributes["centre"]["values"]}
    assert "AST-01" in centres and attributes["centre"]["datatype"] == "singlevaluelist"
    missing, error = civic.definition("potholes")
    assert missing == 404 and error[0]["code"] == 404 and error[0]["description"]


def test_a_posted_request_is_a_registered_complaint_with_its_clock(
    civic: GeoReportClient,
) -> None:
    request_id = _posted(civic)
    assert request_id == "CMP-20261202-0001"
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.centre.code, complaint.language) == (  # type: ignore[union-attr]
        "open311",
        "AST-01",
        "ru",
    )
    assert complaint.name == "Асқар Ахметов" and complaint.iin == IIN
    status, [request] = civic.request(request_id)
    assert status == 200
    assert (request["service_request_id"], request["status"], request["service_code"]) == (
        request_id,
        "open",
        "staff_behaviour",
    )
    assert request["requested_datetime"] == "2026-12-02T10:00:00+05:00"
    assert request["expected_datetime"] == "2026-12-09T23:59:59+05:00"
    assert request["address_id"] == "AST-01" and request["agency_responsible"]
    # Public: nothing about the citizen, not even their own words.
    text = json.dumps(request, ensure_ascii=False)
    assert IIN not in text and "Ахметов" not in text and "window 3" not in text
    assert request["description"] is None


def test_a_retried_post_with_the_same_idempotency_key_is_one_complaint(
    civic: GeoReportClient,
) -> None:
    form = {"service_code": "other", "address_id": "AST-01", "first_name": "А", "description": "x"}
    form.update({f"attribute[{k}]": v for k, v in ATTRIBUTES.items()})
    first = civic.client.post(f"{ROOT}/requests.json", form, headers={"idempotency-key": "k1"})
    again = civic.client.post(f"{ROOT}/requests.json", form, headers={"idempotency-key": "k1"})
    assert first.json() == again.json() and Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("service_code", "attributes", "status"),
    [
        ("", ATTRIBUTES, 400),
        ("potholes", ATTRIBUTES, 404),
        ("other", {**ATTRIBUTES, "iin": "123"}, 400),
        ("other", {**ATTRIBUTES, "consent": ""}, 400),
        ("other", {**ATTRIBUTES, "against": "mayor"}, 400),
        ("other", {**ATTRIBUTES, "against": "application", "application": "X-1"}, 404),
    ],
)
def test_a_bad_post_gets_georeports_error_body_and_writes_nothing(
    civic: GeoReportClient, service_code: str, attributes: dict[str, str], status: int
) -> None:
    answer, body = civic.post(
        service_code, attributes, address_id="AST-01", first_name="А", description="x"
    )
    assert answer == status
    assert body == [{"code": status, "description": body[0]["description"]}]
    assert body[0]["description"]
    assert not Complaint.objects.exists()


def test_the_list_filters_by_ids_category_state_and_dates(
    civic: GeoReportClient, desk: Desk
) -> None:
    first = _posted(civic)
    second = _posted(civic)
    desk.post("manager1", f"/complaints/{second}/answer", {"outcome": "upheld", "text": "Sorry."})
    status, listed = civic.requests()
    assert status == 200 and {r["service_request_id"] for r in listed} == {first, second}
    by_ids = civic.requests(service_request_id=f"{first},CMP-19990101-0001", status="closed")[1]
    assert [r["service_request_id"] for r in by_ids] == [first]  # ids override other filters
    open_ones = civic.requests(status="open")[1]
    closed = civic.requests(status="closed")[1]
    assert [r["service_request_id"] for r in open_ones] == [first]
    assert [r["service_request_id"] for r in closed] == [second]
    assert civic.requests(service_code="missed_deadline")[1] == []
    in_range = civic.requests(start_date="2026-12-01T00:00:00Z", end_date="2026-12-03T00:00:00Z")
    assert len(in_range[1]) == 2
    before = civic.requests(start_date="2026-10-01T00:00:00+05:00", end_date="2026-11-30T00:00:00Z")
    assert before[1] == []
    too_long, error = civic.requests(
        start_date="2026-01-01T00:00:00Z", end_date="2026-12-03T00:00:00Z"
    )
    assert too_long == 400 and error[0]["code"] == 400
    assert civic.requests(status="pending")[0] == 400
    assert civic.requests(start_date="yesterday")[0] == 400


def test_an_unknown_request_is_a_georeport_404(civic: GeoReportClient) -> None:
    status, body = civic.request("CMP-20261202-0042")
    assert status == 404 and body[0]["code"] == 404
