"""/healthz tells a load balancer whether the database and search answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_search(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["status"] == "ok"
    assert data["search"]["backend"] == "database"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_unreachable_elasticsearch_is_reported_as_degraded_not_down(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "redusert"
    assert data["search"]["status"] == "redusert"
