from django.urls import path, re_path

from .views import api, public, staff

app_name = "search"

urlpatterns = [
    path("", public.catalogue, name="catalogue"),
    path("projets/<slug:slug>/", public.project_detail, name="project"),
    path("suggestions/", public.suggestions, name="suggestions"),
    path("donnees/projets.csv", public.projects_csv, name="projects_csv"),
    path("donnees/projets.json", public.projects_json, name="projects_json"),
    path("donnees/subventions-scdl.csv", public.scdl_csv, name="scdl_csv"),
    path("api/projets/", api.project_list, name="api_projects"),
    # Any text (line breaks too), so that a malformed identifier gets the API's JSON 404, not
    # the site's HTML page.
    re_path(r"^api/projets/(?P<slug>[\s\S]+)/$", api.project_detail, name="api_project"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("publication/", staff.publication_list, name="publication_list"),
    path("publication/<int:application_pk>/", staff.publication_edit, name="publication_edit"),
]
