"""The test settings: the project's settings plus the sample app that proves the seams."""

import tempfile
from pathlib import Path

from innendienst.settings import *  # noqa: F403
from innendienst.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]
ROOT_URLCONF = "tests.urls"

# Uploaded and written files of the tests go to a directory of their own, not into var/files.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="innendienst-test-files-"))
