import json
import logging

from app.logs import JsonFormatter


def test_log_lines_are_json_with_the_request_fields():
    record = logging.LogRecord("access", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"path": "/api/items", "status": 200}
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO"
    assert line["message"] == "request"
    assert line["service"] == "${{ values.name }}"
    assert line["status"] == 200


def test_requests_are_logged_but_probes_are_not(client, caplog):
    with caplog.at_level(logging.INFO, logger="access"):
        client.get("/healthz")
        client.get("/api/items")
    assert [record.fields["path"] for record in caplog.records if record.name == "access"] == ["/api/items"]
