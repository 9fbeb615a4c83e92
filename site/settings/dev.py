"""Local development: the embedded default, with relaxed values opted into here."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# A development-only key; production settings refuse to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-kompetanseportalen")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
