"""The references of benchmarks/http_pages.py behind the portal's own settings and middleware (sessions,
CSRF, security headers, CSP, lockout), as a settings module; the URLs are benchmarks/stack_urls.py.

The bare view (benchmarks/ceiling.py) shows what Django alone costs.
"""

from layanan.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.stack_urls"
