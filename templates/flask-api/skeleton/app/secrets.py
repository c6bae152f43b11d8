import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import boto3


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


class DatabaseCredentials:
    """Reads the database credentials from Secrets Manager with the pod's IAM identity.

    On EKS the AWS SDK's default credential chain picks up EKS Pod Identity (or IRSA) from the pod's service
    account, so no key ever lives in the image or the chart. RDS rotates the secret, hence the short cache and
    `invalidate()` after an authentication failure.
    """

    def __init__(
        self,
        secret_arn: str,
        region: str,
        ttl_seconds: float = 300,
        client: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._secret_arn = secret_arn
        self._region = region
        self._ttl = ttl_seconds
        self._client = client
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: Credentials | None = None
        self._fetched_at = 0.0

    def _secrets_manager(self) -> Any:
        if self._client is None:
            self._client = boto3.client("secretsmanager", region_name=self._region)
        return self._client

    def get(self) -> Credentials:
        with self._lock:
            if self._cached is None or self._clock() - self._fetched_at > self._ttl:
                response = self._secrets_manager().get_secret_value(SecretId=self._secret_arn)
                secret = json.loads(response["SecretString"])
                self._cached = Credentials(secret["username"], secret["password"])
                self._fetched_at = self._clock()
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None
