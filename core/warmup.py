"""Work each server process does once before its first request, so that no reader waits for it.

Apps register steps (``register``) in their ``AppConfig.ready``; ``site/wsgi.py`` runs them
(``run``) when a server process loads the application. Django has no hook of its own for this:
``AppConfig.ready`` runs for every management command too (``migrate`` on an empty database
among them), where reading content is wrong.
"""

import logging

logger = logging.getLogger(__name__)

_steps = []


def register(step):
    """``step()`` runs once in each server process before it serves (``run``)."""
    if step not in _steps:
        _steps.append(step)


def run():
    """Run every registered step. A step that fails is logged and skipped: warming up is never a
    reason for a server not to start (the database may be briefly away while it restarts; the
    first request then does the work, as it would have)."""
    for step in _steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - any failure of an optional step; logged with its traceback
            logger.warning(
                "Oppvarmingen «%s» feilet; første forespørsel gjør jobben.", step.__qualname__, exc_info=True
            )
