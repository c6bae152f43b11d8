from flask import Blueprint, current_app, request

items = Blueprint("items", __name__)


@items.get("")
def list_items():
    return {"items": current_app.extensions["database"].list_items()}


@items.post("")
def create_item():
    payload = request.get_json(silent=True) or {}
    name = payload.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        return {"error": "name must be a non-empty string of at most 200 characters"}, 400
    return current_app.extensions["database"].create_item(name.strip()), 201
