import json

import boto3
from botocore.stub import Stubber

from app.secrets import DatabaseCredentials

SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:222222222222:secret:rds!db-example"


def stubbed_client(*passwords: str):
    client = boto3.client(
        "secretsmanager",
        region_name="eu-central-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    stubber = Stubber(client)
    for password in passwords:
        stubber.add_response(
            "get_secret_value",
            {"SecretString": json.dumps({"username": "app", "password": password}), "ARN": SECRET_ARN},
            {"SecretId": SECRET_ARN},
        )
    stubber.activate()
    return client, stubber


def test_credentials_come_from_the_secret_and_are_cached():
    client, stubber = stubbed_client("first")
    credentials = DatabaseCredentials(SECRET_ARN, "eu-central-1", client=client)
    assert credentials.get().password == "first"
    assert credentials.get().password == "first"
    stubber.assert_no_pending_responses()


def test_rotated_credentials_are_fetched_again_after_invalidation_or_expiry():
    now = [0.0]
    client, stubber = stubbed_client("first", "second", "third")
    credentials = DatabaseCredentials(SECRET_ARN, "eu-central-1", ttl_seconds=60, client=client, clock=lambda: now[0])
    assert credentials.get().password == "first"
    credentials.invalidate()
    assert credentials.get().password == "second"
    now[0] = 61.0
    assert credentials.get().password == "third"
    stubber.assert_no_pending_responses()
