"""Private storage for applicants' files: outside the public media folder, random names.

Which storage holds them is the ``private`` entry of ``STORAGES``: ``PrivateStorage`` (the
local disk, by default) or an S3 bucket under a private prefix (``RUCHE_STORAGE=s3``).
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_STORAGE_ROOT, never served by URL. The root is read at each use
    (not when models load), so that a changed setting — in tests, say — is honoured."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_storage() -> Storage:
    """The storage of the ``private`` alias (the FileFields' ``storage`` callable)."""
    return storages["private"]


def random_attachment_name(instance, filename: str) -> str:
    """The stored name says nothing about the file: its original name is kept in the row."""
    name = uuid.uuid4().hex
    return f"attachments/{name[:2]}/{name}"
