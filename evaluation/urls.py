"""Back office URLs, under /gestion/. Each area keeps its own list of patterns."""

from django.urls import include, path

from .views import backoffice, committee, diagram, information

app_name = "evaluation"

urlpatterns = [
    path("", include(diagram.urlpatterns)),
    path("", include(backoffice.urlpatterns)),
    path("complements/", include(information.urlpatterns)),
    path("comite/", include(committee.urlpatterns)),
]
