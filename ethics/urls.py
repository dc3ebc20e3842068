"""Reviewers' and staff's review pages, under /expertise/."""

from django.urls import include, path

from .views import reports, reviewer, staff

app_name = "ethics"

urlpatterns = [
    path("", include(reviewer.urlpatterns)),
    path("gestion/", include(staff.urlpatterns)),
    path("gestion/", include(reports.urlpatterns)),
]
