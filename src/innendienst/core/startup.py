"""Checks that must pass before the application serves a single request."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve without a key, with a message that says how to make one."""
    try:
        settings.SECRET_KEY  # noqa: B018  (Django raises on an empty key when it is read)
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DEBUG=1 for local development."
        ) from exc
