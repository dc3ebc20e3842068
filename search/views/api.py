"""The read-only JSON API of the catalogue and its OpenAPI 3.1 description."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .. import opendata
from ..backends import get_backend
from ..params import MAX_PAGE, openapi_parameters, parse
from .public import published_in_order

API_PAGE_SIZE = 20


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt  # read-only and cookie-less: any other method gets its 405, not a CSRF 403
@require_GET
def project_list(request: HttpRequest) -> JsonResponse:
    parsed = parse(request.GET, per_page=API_PAGE_SIZE)
    if parsed.errors:
        return _json({"errors": parsed.errors}, status=400)
    query = parsed.query
    results = get_backend().search(query)
    projects = published_in_order([hit.project_id for hit in results.hits])
    pages = max((results.total + query.per_page - 1) // query.per_page, 1)

    def page_link(number: int) -> str | None:
        if number < 1 or number > min(pages, MAX_PAGE):
            return None
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return _json(
        {
            "count": results.total,
            "page": query.page,
            "pages": pages,
            "next": page_link(query.page + 1),
            "previous": page_link(query.page - 1),
            "results": [opendata.project_data(p, request) for p in projects],
            "facets": {
                name: [{"value": v.value, "count": v.count} for v in values]
                for name, values in results.facets.items()
            },
        }
    )


@csrf_exempt  # read-only and cookie-less: any other method gets its 405, not a CSRF 403
@require_GET
def project_detail(request: HttpRequest, slug: str) -> JsonResponse:
    # PostgreSQL refuses a NUL in text; no identifier holds one.
    project = opendata.published().filter(slug=slug).first() if "\x00" not in slug else None
    if project is None:
        return _json({"detail": _("Aucun projet publié sous cet identifiant.")}, status=404)
    return _json(opendata.project_data(project, request))


@csrf_exempt  # read-only and cookie-less: any other method gets its 405, not a CSRF 403
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    project_schema = {
        "type": "object",
        "required": ["slug", "title", "summary", "organisation", "region", "year", "url"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string", "maxLength": 1500},
            "description": {"type": "string"},
            "organisation": {"type": "string"},
            "region": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "themes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                },
            },
            "call": {
                "type": ["object", "null"],
                "properties": {"id": {"type": ["integer", "null"]}, "title": {"type": "string"}},
            },
            "year": {"type": "integer"},
            "amount_granted": {
                "type": "string",
                "description": "Montant en euros, décimal avec point",
                "pattern": r"^\d+\.\d{2}$",
            },
            "trl": {"type": ["integer", "null"], "minimum": 1, "maximum": 9},
            "partners": {"type": "array", "items": {"type": "string"}},
            "website": {"type": ["string", "null"], "format": "uri"},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
        },
    }
    facet_value = {
        "type": "object",
        "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
    }
    list_schema = {
        "type": "object",
        "required": ["count", "page", "pages", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Project"}},
            "facets": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": facet_value},
            },
        },
    }
    base = reverse("search:api_projects").removesuffix("projets/")
    spec = {
        "openapi": "3.1.0",
        "info": {
            "title": "Ruche — catalogue des projets financés",
            "version": "1.0.0",
            "description": "API publique en lecture seule : uniquement les fiches publiées et "
            "leurs champs publics.",
            "license": {"name": "Licence Ouverte 2.0", "identifier": "etalab-2.0"},
        },
        "servers": [{"url": request.build_absolute_uri(base).rstrip("/")}],
        "paths": {
            "/projets/": {
                "get": {
                    "operationId": "listProjects",
                    "summary": "Rechercher les projets financés",
                    "parameters": openapi_parameters(),
                    "responses": {
                        "200": {
                            "description": f"Une page de {API_PAGE_SIZE} projets au plus",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ProjectList"}
                                }
                            },
                        },
                        "400": {
                            "description": "Un paramètre invalide (tri inconnu, valeur mal "
                            "formée…) : les erreurs par paramètre",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
            "/projets/{slug}/": {
                "get": {
                    "operationId": "getProject",
                    "summary": "Un projet financé",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Le projet",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Project"}
                                }
                            },
                        },
                        "404": {
                            "description": "Aucun projet publié sous cet identifiant",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/NotFound"}
                                }
                            },
                        },
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "Cette description",
                    "responses": {"200": {"description": "Description OpenAPI 3.1"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Project": project_schema,
                "ProjectList": list_schema,
                "Errors": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        }
                    },
                },
                "NotFound": {
                    "type": "object",
                    "required": ["detail"],
                    "properties": {"detail": {"type": "string"}},
                },
            }
        },
    }
    return _json(spec)
