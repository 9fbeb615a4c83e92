"""Production: everything from the environment, failing loudly when a secret is missing."""

from .base import *  # noqa: F403
from .env import env_str

SECRET_KEY = env_str("SECRET_KEY", required=True)
