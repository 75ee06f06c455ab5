"""The re-qualification queue filters as the company list does, and sorts also by what matters
for it: the oldest last order, the least complete record. By name unless asked: read along the
name index, a page costs the same at a million companies; the other sorts look at every due
customer of the user's scope."""

from __future__ import annotations

from django.db.models import F

from innendienst.contacts.filters import CompanyFilterSet
from innendienst.core.filters import sort_filter

QUEUE_SORTS = {
    # Never ordered first, then the longest ago.
    "last_order": (F("last_order_on").asc(nulls_first=True), "name", "id"),
    "-last_order": (F("last_order_on").desc(nulls_last=True), "name", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "score": (F("quality__score").asc(nulls_first=True), "name", "id"),
    "-score": (F("quality__score").desc(nulls_last=True), "name", "id"),
    "priority": (F("priority").asc(nulls_last=True), "name", "id"),
    "-priority": (F("priority").desc(nulls_last=True), "-name", "-id"),
}


class RequalificationFilterSet(CompanyFilterSet):
    # Every company of the queue is a customer.
    status = None
    sort = sort_filter(QUEUE_SORTS)

    sorts = QUEUE_SORTS
    default_sort = "name"
