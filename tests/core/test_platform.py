"""Settings, the `innendienst` command and the periodic jobs.

The health check is a page: tests/web/test_health.py.
"""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from innendienst import cli
from innendienst.core.tasks import purge_expired_sessions

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "src")


def _load(module, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION", "INNENDIENST_TESTING"}
    }
    clean.update(env)
    clean["PYTHONPATH"] = SRC
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as m; print(m.__name__)"],
        env=clean,
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_serve_in_production_without_a_secret_key():
    for module in ("innendienst.wsgi", "innendienst.asgi"):
        result = _load(module)
        assert result.returncode != 0
        assert "SECRET_KEY is not set" in result.stderr


def test_it_runs_commands_that_sign_nothing_without_a_key():
    result = _load("innendienst.settings")
    assert result.returncode == 0, result.stderr


def test_it_refuses_a_weak_secret_key_in_production():
    result = _load("innendienst.settings", SECRET_KEY="django-insecure-short")
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_it_serves_with_a_proper_key_or_in_debug_mode():
    assert _load("innendienst.wsgi", SECRET_KEY="x" * 50).returncode == 0
    assert _load("innendienst.wsgi", DEBUG="1").returncode == 0


def test_it_passes_management_commands_through(capsys):
    cli.main(["innendienst", "check"])
    assert "no issues" in capsys.readouterr().out


def test_it_maps_worker_to_the_huey_consumer(monkeypatch):
    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    cli.main(["innendienst", "worker", "--workers", "2"])
    assert seen == [["innendienst", "run_huey", "--workers", "2"]]


def test_it_runs_the_development_server_for_serve_dev(monkeypatch):
    monkeypatch.setenv("DEBUG", "1")
    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    cli.main(["innendienst", "serve", "--dev", "--port", "8123"])
    assert seen == [["innendienst", "runserver", "127.0.0.1:8123"]]


@pytest.mark.django_db
def test_it_purges_expired_sessions_every_night():
    Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="new", session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    purge_expired_sessions.call_local()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_the_apps_statements_are_not_compiled_by_postgresql_jit():
    """A search or a list's count paid PostgreSQL's JIT compiler on every execution."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
