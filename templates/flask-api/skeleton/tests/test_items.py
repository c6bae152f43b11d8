def test_created_items_are_listed(client):
    created = client.post("/api/items", json={"name": "  first  "})
    assert created.status_code == 201
    assert created.get_json()["name"] == "first"
    assert [item["name"] for item in client.get("/api/items").get_json()["items"]] == ["first"]


def test_an_item_without_a_name_is_rejected(client, database):
    response = client.post("/api/items", json={"name": ""})
    assert response.status_code == 400
    assert "name" in response.get_json()["error"]
    assert database.rows == []
