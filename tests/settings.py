"""The test settings: the project's settings plus the sample app that proves the seams."""

from innendienst.settings import *  # noqa: F403
from innendienst.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]
ROOT_URLCONF = "tests.urls"
