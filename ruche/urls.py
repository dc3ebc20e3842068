import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import routing
from cms.page_cache import cache_anonymous

from . import views

# Wagtail's page view, routed from the fragment cache (cms.routing), its anonymous responses
# kept in the page cache (cms.page_cache).
wagtail_patterns = [p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"] + [
    re_path(wagtail_urls.serve_pattern, cache_anonymous(routing.serve), name="wagtail_serve")
]

urlpatterns = [
    # For load balancers and monitoring: no language prefix, no redirect to HTTPS.
    path("sante/", views.health_check, name="health"),
    # Before the admins' URLs: their sign-in goes through allauth, second factor included.
    path("admin/login/", views.admin_sign_in, {"home": "/admin/"}),
    path("django-admin/login/", views.admin_sign_in, {"home": "/django-admin/"}),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
]

if getattr(settings, "RUCHE_SERVE_MEDIA", False):
    # Development only: in production the reverse proxy serves the media folder.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# French at the root, English under /en/; Wagtail serves the page tree last.
urlpatterns += i18n_patterns(
    path("compte/", include("allauth.urls")),
    path("accueil/", views.landing, name="landing"),
    path("espace/", include("grants.urls")),
    # Mounts its pages under /gestion/ (staff) and /espace/ (applicants).
    path("", include("evaluation.urls")),
    path("expertise/", include("ethics.urls")),
    # Conventions and reports under /gestion/suivi/ and /espace/conventions/; /chiffres/.
    path("", include("funding.urls")),
    path("catalogue/", include("search.urls")),
    path("", include(wagtail_patterns)),
    prefix_default_language=False,
)

handler403 = "ruche.errors.forbidden"
handler404 = "ruche.errors.not_found"
handler500 = "ruche.errors.server_error"
