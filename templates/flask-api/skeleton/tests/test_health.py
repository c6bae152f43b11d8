def test_liveness_answers_even_when_the_database_is_down(client, database):
    database.reachable = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readiness_reports_the_database(client, database):
    assert client.get("/readyz").status_code == 200
    database.reachable = False
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "failing"
