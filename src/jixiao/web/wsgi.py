"""WSGI entry point: `gunicorn jixiao.web.wsgi:application` (see README, production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()

# After Django is set up, so that what it loaded is frozen too (jixiao.warmup): a server process
# holds some 200,000 long-lived objects, and before this the collector's oldest generation walked
# them all every few dozen saves (about 130 ms at once, 2.6 ms a save on average).
from jixiao.warmup import warm_up  # noqa: E402

warm_up()
