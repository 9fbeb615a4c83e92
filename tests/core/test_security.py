"""Security headers, the admin login and password reset throttles, and production settings that pass
check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
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


def attempt(client, password, username="redaktor", ip="10.0.0.1", forwarded_for=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


PROXY = "10.9.0.2"
ATTACKER = "203.0.113.66"
COLLEAGUE = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.9.0.0/16"]


def test_admin_login_is_throttled_after_repeated_failures(client, editor):
    for _ in range(5):
        assert attempt(client, "feil").status_code == 200  # the form again, with an error
    blocked = attempt(client, "riktig-passord-123")
    assert blocked.status_code == 429
    assert "For mange innloggingsforsøk" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0


def test_guessing_a_users_password_from_one_client_does_not_lock_them_out_from_another(client, behind_proxy):
    get_user_model().objects.create_superuser("admin", "admin@example.no", "riktig-passord-123")
    for _ in range(15):
        attempt(client, "feil", username="admin", ip=PROXY, forwarded_for=ATTACKER)
    blocked = attempt(client, "riktig-passord-123", username="admin", ip=PROXY, forwarded_for=ATTACKER)
    assert blocked.status_code == 429
    assert "For mange innloggingsforsøk" in blocked.content.decode()
    own = attempt(client, "riktig-passord-123", username="admin", ip=PROXY, forwarded_for=COLLEAGUE)
    assert own.status_code == 302 and own["Location"] == "/admin/"


def test_the_forwarded_address_from_a_sender_that_is_not_a_trusted_proxy_is_ignored(
    client, editor, behind_proxy
):
    # The attacker writes the colleague's address, then others, into the header: it counts
    # against the attacker's own address all the same, and never against the colleague's.
    for n in range(5):
        attempt(client, "feil", ip=ATTACKER, forwarded_for=f"{COLLEAGUE}, 192.0.2.{n}")
    assert attempt(client, "riktig-passord-123", ip=ATTACKER, forwarded_for="192.0.2.99").status_code == 429
    assert attempt(client, "riktig-passord-123", ip=PROXY, forwarded_for=COLLEAGUE).status_code == 302


def test_failures_with_other_names_block_a_shared_address_only_at_the_address_limit(client, editor):
    for n in range(19):
        assert attempt(client, "feil", username=f"ukjent-{n % 4}").status_code == 200
    assert attempt(client, "riktig-passord-123").status_code == 302
    client.logout()
    # A working login clears only its own name's failures; the address's twentieth failure blocks it.
    assert attempt(client, "feil", username="ukjent-9").status_code == 200
    blocked = attempt(client, "riktig-passord-123")
    assert blocked.status_code == 429
    assert "For mange innloggingsforsøk" in blocked.content.decode()


def test_a_few_failures_do_not_lock_out_and_success_clears_them(client, editor):
    for _ in range(3):
        attempt(client, "feil")
    assert attempt(client, "riktig-passord-123").status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "feil")
    assert attempt(client, "riktig-passord-123").status_code == 302


def reset(client, email, client_address):
    return client.post(
        "/admin/password_reset/", {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address
    )


def test_password_reset_sends_at_most_three_emails_per_client_an_hour(client, behind_proxy):
    User = get_user_model()
    for n in range(5):
        User.objects.create_user(f"bruker-{n}", f"bruker-{n}@example.no", "riktig-passord-123")
    answers = [reset(client, f"bruker-{n}@example.no", ATTACKER) for n in range(5)]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, "/admin/password_reset/done/")] * 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"bruker-{n}@example.no" for n in range(3)]
    assert reset(client, "bruker-4@example.no", COLLEAGUE)["Location"] == "/admin/password_reset/done/"
    assert mail.outbox[-1].to == ["bruker-4@example.no"]


def test_password_reset_sends_one_email_per_address_in_fifteen_minutes(client, editor, behind_proxy):
    answers = [reset(client, "r@example.no", f"198.51.100.{n}") for n in range(3)]
    unknown = reset(client, "finnes-ikke@example.no", "198.51.100.9")
    # Sent, not sent and no such account answer alike.
    assert {(a.status_code, a["Location"]) for a in [*answers, unknown]} == {
        (302, "/admin/password_reset/done/")
    }
    assert [m.to for m in mail.outbox] == [["r@example.no"]]


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


def test_production_settings_with_redis_url_share_the_cache_rate_limits_and_pages_in_redis():
    """With REDIS_URL (docs/deployment.md) the cache, the rate limits and the page cache live in
    Redis: a value one process writes, another reads. CI starts Redis (.ci/services)."""
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/15")
    token = secrets.token_hex(8)
    write = f"from django.core.cache import caches; [caches[a].set('probe', {token!r}, 60) for a in ('default', 'ratelimit', 'pages')]"
    read = "from django.core.cache import caches; print(*(caches[a].get('probe') for a in ('default', 'ratelimit', 'pages')))"
    for code in (write, read):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [token] * 3
