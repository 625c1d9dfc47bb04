"""Periodic jobs run by `onestop worker` beside the task queue (DESIGN.md, "Background work").

An app declares its jobs in `<app>/periodic.py` with `@every(seconds)`. Every worker runs every job, so a
job must be safe to run in several processes at once (conditional updates, row locks, SKIP LOCKED).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    seconds: float
    run: Callable[[], object]
    next_at: float = field(default=0.0)


JOBS: dict[str, Job] = {}


def every(seconds: float) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(fn: Callable[[], object]) -> Callable[[], object]:
        name = f"{fn.__module__}.{fn.__qualname__}"
        JOBS[name] = Job(name, seconds, fn)
        return fn

    return register


def discover() -> dict[str, Job]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("periodic")
    return JOBS


def run_due(now: float) -> list[str]:
    """Run every job whose time has come; a failing job is logged and retried at its next interval."""
    from django.db import close_old_connections

    ran = []
    for job in JOBS.values():
        if now < job.next_at:
            continue
        job.next_at = now + job.seconds
        close_old_connections()
        try:
            job.run()
            ran.append(job.name)
        except Exception:  # one broken job must not stop the others
            log.exception("periodic job %s failed", job.name)
    return ran


def loop(stop: threading.Event, tick: float = 1.0) -> None:
    discover()
    while not stop.is_set():
        run_due(time.monotonic())
        stop.wait(tick)
