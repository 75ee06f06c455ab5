"""Log filters."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class NoForbiddenTraceback(logging.Filter):
    """A refused request (403) is one line in the log, not a traceback: it is an expected
    answer to a user who may not do something, not a failure of the application."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
