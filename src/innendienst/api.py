"""The REST API under /api/v1/, with its OpenAPI docs at /api/v1/docs."""

from innendienst.activities.api import router as activities_router
from innendienst.contacts.api import router as contacts_router
from innendienst.core.api import AUTH, InnendienstAPI, install_error_handlers

api = InnendienstAPI(
    title="Innendienst API",
    version="1",
    description=(
        "Companies, people and activities, scoped exactly like the web UI. "
        "Authenticate with a personal token (Settings → API tokens): "
        "`Authorization: Bearer <token>`. Errors are RFC 9457 problem documents "
        "with one entry per failing field."
    ),
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", contacts_router)
api.add_router("/", activities_router)
