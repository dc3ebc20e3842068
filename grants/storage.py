"""Private storage for applicants' files: outside the public media folder, random names."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    # A callable, so that tests overriding PRIVATE_STORAGE_ROOT are honoured.
    return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)


def random_attachment_name(instance, filename: str) -> str:
    """The stored name says nothing about the file: its original name is kept in the row."""
    name = uuid.uuid4().hex
    return f"attachments/{name[:2]}/{name}"
