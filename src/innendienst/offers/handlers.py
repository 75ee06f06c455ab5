"""Side effects of offer events, after the commit."""

from __future__ import annotations

from innendienst.core.events import Event
from innendienst.offers import winning


def rescore_offer(event: Event) -> None:
    """A changed open offer gets its win probability at once, not with the nightly run."""
    winning.rescore(winning.open_offers().filter(pk=event.object_id))
