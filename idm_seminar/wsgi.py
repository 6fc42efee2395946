"""WSGI entry point, used by gunicorn in production and in the benchmarks."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idm_seminar.settings")

application = get_wsgi_application()
