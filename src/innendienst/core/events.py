"""Domain events: a service says what happened, handlers react after the commit.

A service emits inside its transaction::

    events.emit("company.updated", actor=actor, instance=company, fields=["phone"])

and every handler subscribed to the name (or to "*") runs through
``transaction.on_commit``: only if the transaction commits, after it has committed, each in
its own robust call so that a failing handler neither undoes the change nor stops the other
handlers. A handler is any callable that takes an ``Event``; a Huey task is such a callable
and is then queued instead of run. Leads, SLA timers, automation and outgoing webhooks hang
on these events; side effects never run inside the service's transaction.

Apps declare the events they emit (``declare``), so that a subscription to a misspelt name
fails the system check instead of silently never running.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.db import models, transaction

logger = logging.getLogger(__name__)

ALL = "*"


@dataclass(frozen=True)
class Event:
    """What happened: plain values only, so a queued job can carry it."""

    name: str
    model: str
    object_id: int
    actor_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Event], Any]

_declared: dict[str, str] = {}
_handlers: dict[str, list[Handler]] = {}


def declare(name: str, description: str) -> None:
    if name in _declared:
        raise ValueError(f"Event {name!r} is declared twice.")
    _declared[name] = description


def declared() -> dict[str, str]:
    return dict(_declared)


def subscribe(name: str, handler: Handler) -> None:
    """Run ``handler`` after the commit of every transaction that emits ``name`` ("*": all)."""
    _handlers.setdefault(name, []).append(handler)


def unsubscribe(name: str, handler: Handler) -> None:
    _handlers[name].remove(handler)
    if not _handlers[name]:
        del _handlers[name]


def _runner(handler: Handler, event: Event) -> Callable[[], None]:
    # The handler runs in the context variables of the code that emitted the event, whenever
    # the commit comes: a chain of automation rules knows how deep it is.
    context = contextvars.copy_context()

    def run() -> None:
        logger.debug("event %s → %r", event.name, handler)
        context.run(handler, event)

    # Django names the callback when it logs a failure.
    run.__qualname__ = f"{event.name} → {getattr(handler, '__qualname__', repr(handler))}"
    return run


def emit(name: str, *, actor: Any, instance: models.Model, **data: Any) -> Event:
    if name not in _declared:
        raise ValueError(f"Event {name!r} is not declared.")
    event = Event(
        name=name,
        model=instance._meta.label_lower,
        object_id=instance.pk,
        actor_id=getattr(actor, "pk", None),
        # Plain values only, so that a queued job can carry the event and no handler holds
        # a model instance of a transaction long gone; this fails loudly otherwise.
        data=json.loads(json.dumps(data)),
    )
    for handler in [*_handlers.get(name, []), *_handlers.get(ALL, [])]:
        transaction.on_commit(_runner(handler, event), robust=True)
    return event


@register()
def check_subscriptions(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(f"A handler is subscribed to the undeclared event {name!r}.", id="innendienst.E001")
        for name in _handlers
        if name != ALL and name not in _declared
    ]
