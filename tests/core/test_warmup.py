"""A server process runs the apps' warm-up steps before it serves (core.warmup, site/wsgi.py), and a
step that fails does not keep it from starting."""

import importlib
import logging
import sys

from core import warmup


def test_loading_the_application_runs_the_warm_up(monkeypatch):
    ran = []
    monkeypatch.setattr(warmup, "run", lambda: ran.append("run"))
    monkeypatch.delitem(sys.modules, "wsgi", raising=False)
    module = importlib.import_module("wsgi")
    assert callable(module.application)
    assert ran == ["run"]


def test_a_step_that_fails_is_logged_and_the_next_steps_run(monkeypatch, caplog):
    done = []

    def broken():
        raise ConnectionError("databasen svarer ikke")

    monkeypatch.setattr(warmup, "_steps", [])
    warmup.register(broken)
    warmup.register(lambda: done.append("neste"))
    with caplog.at_level(logging.WARNING, logger="core.warmup"):
        warmup.run()
    assert done == ["neste"]
    [record] = caplog.records
    assert (
        record.getMessage()
        == "Oppvarmingen «test_a_step_that_fails_is_logged_and_the_next_steps_run.<locals>.broken» feilet; første forespørsel gjør jobben."
    )
    assert record.exc_info[0] is ConnectionError
