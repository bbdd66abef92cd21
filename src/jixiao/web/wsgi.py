"""WSGI entry point: `gunicorn jixiao.web.wsgi:application` (see README, production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()

from .warmup import warm_up  # noqa: E402  (after Django is set up: it freezes what that loaded)

warm_up()
