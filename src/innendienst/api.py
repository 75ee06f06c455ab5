"""The REST API under /api/v1/, with its OpenAPI docs at /api/v1/docs (logged-in users).

Every installed app of ours that has an ``api.py`` with a ``router`` is mounted here, so a new
app's endpoints need no line in this file.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.utils.module_loading import module_has_submodule

from innendienst.accounts.api import AUTH
from innendienst.core.api import InnendienstAPI, JsonParser, install_error_handlers

api = InnendienstAPI(
    title="Innendienst API",
    version="1",
    description=(
        "Companies, people and activities, scoped exactly like the web UI. "
        "Authenticate with a personal token (Settings → API tokens): "
        "`Authorization: Bearer <token>`. Errors are RFC 9457 problem documents "
        "with one entry per failing field. Every record has a `version`, sent as `ETag`; "
        "send it back as `If-Match` and a change based on an older version answers 412."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=login_required,
    parser=JsonParser(),
)
install_error_handlers(api)

for app_config in apps.get_app_configs():
    if app_config.name.startswith("innendienst.") and module_has_submodule(
        app_config.module, "api"
    ):
        router = getattr(import_module(f"{app_config.name}.api"), "router", None)
        if router is not None:
            api.add_router("/", router)
