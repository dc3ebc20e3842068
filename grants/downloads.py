"""Serving a private file after the caller has checked who may see it."""

from django.http import FileResponse


def private_file_response(field_file, filename: str, content_type: str) -> FileResponse:
    """Always as a download, with the type we detected, never sniffed by the browser."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
