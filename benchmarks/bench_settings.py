"""Production settings with the benchmark's URLs (bench_urls: the site plus baseline views)."""

from ruche.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
