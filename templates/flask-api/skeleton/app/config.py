import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, read once at start-up."""

    database_host: str = "localhost"
    database_port: int = 5432
    database_name: str = "app"
    database_secret_arn: str = ""
    # Local development without Secrets Manager: credentials straight from the environment.
    database_user: str = ""
    database_password: str = ""
    aws_region: str = "eu-central-1"
    log_level: str = "INFO"

    @staticmethod
    def from_environment() -> "Settings":
        env = os.environ
        return Settings(
            database_host=env.get("DATABASE_HOST", "localhost"),
            database_port=int(env.get("DATABASE_PORT", "5432")),
            database_name=env.get("DATABASE_NAME", "app"),
            database_secret_arn=env.get("DATABASE_SECRET_ARN", ""),
            database_user=env.get("DATABASE_USER", ""),
            database_password=env.get("DATABASE_PASSWORD", ""),
            aws_region=env.get("AWS_REGION", "eu-central-1"),
            log_level=env.get("LOG_LEVEL", "INFO"),
        )
