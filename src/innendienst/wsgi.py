import os

from django.core.wsgi import get_wsgi_application

from innendienst.core.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innendienst.settings")

application = get_wsgi_application()
require_secret_key()
