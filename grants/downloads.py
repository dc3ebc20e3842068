"""Serving a private file after the caller has checked who may see it.

Three ways, by deployment: nginx sends the file from the local disk (X-Accel-Redirect to the
internal location ``RUCHE_PRIVATE_ACCEL_PREFIX``), the object store hands it out through a
signed link valid one minute, or, with neither, Python streams it.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect


def private_file_response(field_file, filename: str, content_type: str) -> HttpResponse:
    """Always as a download, with the type we detected, never sniffed by the browser."""
    storage = field_file.storage
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    if getattr(storage, "querystring_auth", False):  # an S3 bucket (django-storages)
        response = HttpResponseRedirect(
            storage.url(
                field_file.name,
                parameters={
                    "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type,
                },
            )
        )
    elif settings.RUCHE_PRIVATE_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = disposition
        response["X-Accel-Redirect"] = (
            settings.RUCHE_PRIVATE_ACCEL_PREFIX.rstrip("/") + "/" + quote(field_file.name)
        )
    else:
        response = FileResponse(
            field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
