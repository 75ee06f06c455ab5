"""Loaded for every test (pyproject: ``-p tests.isolation``): state outside the database that
one test must not leave to the next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Counters of failed API tokens live in the cache."""
    cache.clear()
    yield
    cache.clear()
