"""Security headers, the admin login throttle, and production settings that pass check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_public_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_public_pages_carry_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_forms_are_protected_by_csrf(client):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("redaktor", "r@example.no", "riktig-passord-123")


def attempt(client, password, username="redaktor", ip="10.0.0.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_admin_login_is_throttled_after_repeated_failures(client, editor):
    for _ in range(5):
        assert attempt(client, "feil").status_code == 200  # the form again, with an error
    blocked = attempt(client, "riktig-passord-123")
    assert blocked.status_code == 429
    assert "For mange innloggingsforsøk" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0


def test_guessing_one_username_from_many_addresses_is_throttled_too(client, editor):
    for n in range(5):
        attempt(client, "feil", ip=f"10.0.1.{n}")
    assert attempt(client, "riktig-passord-123", ip="10.0.2.1").status_code == 429


def test_a_few_failures_do_not_lock_out_and_success_clears_them(client, editor):
    for _ in range(3):
        attempt(client, "feil")
    assert attempt(client, "riktig-passord-123").status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "feil")
    assert attempt(client, "riktig-passord-123").status_code == 302


def test_password_validators_reject_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["123456789", "passord", "kort"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.no",
        **extra,
    )
    return env


def test_check_deploy_with_production_settings_gives_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
