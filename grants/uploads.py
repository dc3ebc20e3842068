"""Applicants' uploads checked by their content, never by their name or declared type.

The browser's file name and Content-Type are chosen by the sender, so ``inspect_upload`` reads
the bytes once, in chunks: it hashes them, enforces the size limit while reading, recognises
PDF, XLSX and ODS by their structure, refuses executables, PDFs with active content and
dangerous archives (zip bombs, path traversal).

PDFs are checked twice: a byte-level scan while reading (``pdf_scan``: JavaScript, launch
actions, embedded files, also inside compressed object streams), then a parse of the document's
objects with pypdf (``pdf_objects``: automatic actions that open addresses or submit forms,
links to network paths, XFA scripts, PDF/HTML polyglots). Reviewers' viewers must keep
JavaScript disabled all the same.
"""

import hashlib
import logging
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .pdf_objects import Uninspectable, active_content
from .pdf_scan import PdfScanner

logger = logging.getLogger(__name__)


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (XLSX)"
    ODS = "ods", "OpenDocument (ODS)"


CONTENT_TYPES: dict[FileKind, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass(frozen=True)
class InspectedFile:
    kind: FileKind
    content_type: str  # the canonical MIME type for the detected kind
    size: int  # bytes
    sha256: str  # hex digest of the whole content


class Upload(Protocol):
    """What ``inspect_upload`` needs: Django's UploadedFile or any binary file object."""

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...

    def tell(self) -> int: ...  # zipfile needs it


CHUNK_SIZE = 64 * 1024
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_PDF_EOF_WINDOW = 2048
_SNIFF_BYTES = 8
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Native executables and scripts, refused whatever their name: PE ("MZ"), ELF, Mach-O (32/64-bit,
# both byte orders, and universal binaries, which share CAFEBABE with Java classes), shebang.
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)

_MESSAGES = {
    "empty": _("Le fichier est vide."),
    "too_large": _("Le fichier dépasse la taille maximale de %(limit)s Mo."),
    "invalid_kind": _("Ce fichier n'est pas un %(kind)s valide (formats acceptés : %(formats)s)."),
    "no_accepted_kind": _(
        "Le contenu de ce fichier ne correspond à aucun des formats acceptés (%(formats)s)."
    ),
    "pdf_active_content": _(
        "Ce PDF contient du contenu actif (JavaScript ou fichier intégré) et ne peut être accepté."
    ),
    "pdf_active_action": _(
        "Ce PDF contient une action automatique, un envoi de formulaire, un lien vers un "
        "partage réseau ou du code HTML : il ne peut être accepté. Enregistrez-le de nouveau "
        "en PDF simple (« Imprimer en PDF »)."
    ),
    "pdf_uninspectable": _(
        "Ce PDF ne peut pas être analysé (document protégé ou compression non standard) : "
        "enregistrez-le de nouveau sans protection."
    ),
    "unsafe_archive": _(
        "Ce fichier compressé contient trop d'éléments, est trop volumineux une fois décompressé "
        "ou contient des chemins non autorisés."
    ),
}


def accepted_formats_label(allowed: Iterable[FileKind | str]) -> str:
    """The accepted formats in a stable order, e.g. "PDF, XLSX, ODS"."""
    kinds = _kinds(allowed)
    return ", ".join(kind.name for kind in FileKind if kind in kinds)


def inspect_upload(
    uploaded: Upload, allowed: Iterable[FileKind | str], max_bytes: int
) -> InspectedFile:
    """Identify the file by its bytes or raise ValidationError (French message, ``code`` set).

    Codes: empty, too_large, invalid_format, executable, macro_enabled, pdf_active_content,
    pdf_active_action, pdf_uninspectable, unsafe_archive. The file is read once in chunks and
    left at position 0.
    """
    kinds = _kinds(allowed)
    if not kinds:
        raise ValueError("inspect_upload needs at least one allowed FileKind")
    try:
        return _inspect(uploaded, kinds, max_bytes)
    finally:
        uploaded.seek(0)


def _kinds(allowed: Iterable[FileKind | str]) -> frozenset[FileKind]:
    # Slots declare formats as plain values ("pdf"), callers may pass members: accept both.
    return frozenset(FileKind(kind) for kind in allowed)


def _inspect(uploaded: Upload, kinds: frozenset[FileKind], max_bytes: int) -> InspectedFile:
    declared = getattr(uploaded, "size", None)
    # The declared size saves reading an oversized file; the count below is what is trusted.
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(max_bytes)

    uploaded.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""  # the first bytes, for magic numbers
    tail = b""  # the last bytes, for %%EOF
    sniffed = False
    scanner: PdfScanner | None = None
    pdf_parts: list[bytes] = []  # a PDF is kept for its second check: the file is read once
    while chunk := uploaded.read(CHUNK_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        digest.update(chunk)
        tail = (tail + chunk)[-_PDF_EOF_WINDOW:]
        if not sniffed:
            # Short reads are legal: wait until the magic number is complete.
            head += chunk
            if len(head) < _SNIFF_BYTES:
                continue
            sniffed = True
            if FileKind.PDF in kinds and head.startswith(b"%PDF-"):
                scanner = PdfScanner()
                chunk = head
            head = head[:_SNIFF_BYTES]
        if scanner is not None:
            pdf_parts.append(chunk)
            scanner.feed(chunk)
            if scanner.active:
                raise _error("pdf_active_content")

    if size == 0:
        raise _error("empty")
    if head.startswith(_EXECUTABLE_MAGIC):
        raise _format_error(kinds, None, code="executable")

    if head.startswith(b"%PDF-"):
        kind = FileKind.PDF
        if scanner is None:  # PDF not allowed here, or a few bytes too short to be one
            raise _format_error(kinds, kind)
        scanner.finish()
        if scanner.active:
            raise _error("pdf_active_content")
        if b"%%EOF" not in tail:  # truncated upload or not a PDF at all
            raise _format_error(kinds, kind)
        if scanner.uninspectable:
            raise _error("pdf_uninspectable")
        _check_pdf_objects(b"".join(pdf_parts))
    elif head.startswith(b"PK\x03\x04"):  # not just is_zipfile: that accepts data before the zip
        kind = _inspect_zip(uploaded, kinds, tail)
    else:
        raise _format_error(kinds, None)

    return InspectedFile(
        kind=kind, content_type=CONTENT_TYPES[kind], size=size, sha256=digest.hexdigest()
    )


def _check_pdf_objects(content: bytes) -> None:
    try:
        reason = active_content(content)
    except Uninspectable as error:
        logger.info("PDF refused, structure unreadable: %s", error)
        raise _error("pdf_uninspectable") from error
    if reason:
        logger.info("PDF refused, active content: %s", reason)
        raise _error("pdf_active_action")


def _error(code: str, **params: str) -> ValidationError:
    return ValidationError(_MESSAGES[code], code=code, params=params or None)


def _too_large(max_bytes: int) -> ValidationError:
    megabytes = max_bytes / (1024 * 1024)
    if megabytes == int(megabytes):
        limit = str(int(megabytes))
    else:
        limit = number_format(round(megabytes, 1), decimal_pos=1)
    return _error("too_large", limit=limit)


def _format_error(
    kinds: frozenset[FileKind], looks_like: FileKind | None, code: str = "invalid_format"
) -> ValidationError:
    """Name the format the user meant when it is known, else list what is accepted."""
    formats = accepted_formats_label(kinds)
    if looks_like not in kinds:
        looks_like = next(iter(kinds)) if len(kinds) == 1 else None
    if looks_like is None:
        return ValidationError(
            _MESSAGES["no_accepted_kind"], code=code, params={"formats": formats}
        )
    return ValidationError(
        _MESSAGES["invalid_kind"], code=code, params={"kind": looks_like.name, "formats": formats}
    )


# --- ZIP containers: XLSX and ODS ----------------------------------------------------------


def _inspect_zip(uploaded: Upload, kinds: frozenset[FileKind], tail: bytes) -> FileKind:
    zip_kinds = kinds & {FileKind.XLSX, FileKind.ODS}
    expected = next(iter(zip_kinds)) if len(zip_kinds) == 1 else None
    if not zip_kinds:
        raise _format_error(kinds, None)
    # The end record gives the entry count before zipfile builds one object per entry.
    end_record = tail.rfind(b"PK\x05\x06")
    if end_record >= 0 and len(tail) - end_record >= 22:
        entries = int.from_bytes(tail[end_record + 10 : end_record + 12], "little")
        if ZIP_MAX_ENTRIES < entries < 0xFFFF:  # 0xFFFF: ZIP64, counted by zipfile below
            raise _error("unsafe_archive")

    uploaded.seek(0)
    try:
        # zipfile reads the central directory only; nothing is decompressed but "mimetype".
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            _check_archive(infos)
            names = {info.filename for info in infos}
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(len(_ODS_MIMETYPE) + 1)
                detected = FileKind.ODS if mimetype == _ODS_MIMETYPE else None
            elif "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                detected = FileKind.XLSX
                # An .xlsm renamed .xlsx: Excel would refuse it, its macros have no place here.
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise _format_error(kinds, detected, code="macro_enabled")
            else:
                detected = None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,  # encrypted entry
        NotImplementedError,  # unsupported compression method
        zlib.error,
    ) as error:
        raise _format_error(kinds, expected) from error

    if detected is None or detected not in kinds:
        raise _format_error(kinds, detected or expected)
    return detected


def _check_archive(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _error("unsafe_archive")
    # Declared sizes: Python's zipfile never inflates an entry beyond them, so they bound what
    # openpyxl or any later reader here can be made to decompress.
    if sum(info.file_size for info in infos) > ZIP_MAX_UNCOMPRESSED:
        raise _error("unsafe_archive")
    for info in infos:
        name = info.filename
        parts = re.split(r"[/\\]", name)
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts:
            raise _error("unsafe_archive")
