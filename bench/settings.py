"""Settings for benchmarks: the product's settings plus a minimal reference view.

The reference view is served by the same gunicorn, middleware and settings as the pages being
measured, so the ratio between them shows what our pages cost beyond Django itself.
"""

from idm_seminar.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
