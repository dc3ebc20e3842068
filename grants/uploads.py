"""Applicants' uploads checked by their content, never by their name or declared type.

The browser's file name and Content-Type are chosen by the sender, so ``inspect_upload`` reads
the bytes once, in chunks: it hashes them, enforces the size limit while reading, recognises
PDF, XLSX and ODS by their structure, refuses executables, PDFs with active content and
dangerous archives (zip bombs, path traversal).

The PDF scan is a byte-level heuristic in the spirit of pdfid, not a parser: it also looks
inside compressed object streams, where most modern PDFs (WeasyPrint's included) keep their
dictionaries, but a file crafted against it can still slip through. Reviewers' viewers must
keep JavaScript disabled all the same.
"""

import hashlib
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
# Object streams hold dictionaries only; a few MB is already a lot, so more is treated as a bomb.
PDF_MAX_INFLATED = 64 * 1024 * 1024
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
    pdf_uninspectable, unsafe_archive. The file is read once in chunks and left at position 0.
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
    scanner: _PdfScanner | None = None
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
                scanner = _PdfScanner()
                chunk = head
            head = head[:_SNIFF_BYTES]
        if scanner is not None:
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
    elif head.startswith(b"PK\x03\x04"):  # not just is_zipfile: that accepts data before the zip
        kind = _inspect_zip(uploaded, kinds, tail)
    else:
        raise _format_error(kinds, None)

    return InspectedFile(
        kind=kind, content_type=CONTENT_TYPES[kind], size=size, sha256=digest.hexdigest()
    )


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


# --- PDF active content ---------------------------------------------------------------------

_WS = rb"[\x00\t\n\x0c\r ]"  # PDF white-space characters
_DELIMITER = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"


def _pdf_name(word: str) -> bytes:
    """Pattern for the PDF name /word, any character of which may be written #hh."""
    parts = []
    for char in word:
        code = f"{ord(char):02X}"
        low = "".join(sorted({code[1], code[1].lower()}))
        parts.append(f"(?:{char}|#{code[0]}[{low}])")
    return ("/" + "".join(parts)).encode()


# Long names are looked for everywhere, stream data included: a false alarm is very unlikely.
_ACTIVE_NAME = re.compile(
    rb"(?:"
    + b"|".join(_pdf_name(w) for w in ("JavaScript", "Launch", "EmbeddedFiles", "EmbeddedFile"))
    + rb")(?="
    + _DELIMITER
    + rb")"
)
# /JS is three bytes: random compressed data holds it every few MB. So it counts only as a key
# followed by its value (string or reference), and not inside the data of ordinary streams.
_REFERENCE = _WS + rb"{1,8}\d{1,10}" + _WS + rb"{1,8}\d{1,5}" + _WS + rb"{1,8}R"
_JS_KEY = re.compile(_pdf_name("JS") + rb"(?=" + _WS + rb"{0,8}[(<%]|" + _REFERENCE + rb")")
_OBJ_HEADER = re.compile(rb"\d" + _WS + rb"{1,8}\d{1,5}" + _WS + rb"{1,8}obj(?![A-Za-z])")
_STREAM_START = re.compile(rb">>(?:" + _WS + rb"|%[^\r\n]{0,64}[\r\n]){0,8}stream(?:\r\n|\n|\r)")
# Where stream data ends at the latest, whatever /Length says: the next keyword or object.
_STREAM_STOP = re.compile(rb"end(?:stream|obj)|" + _OBJ_HEADER.pattern)
# A direct /Length only: "/Length 12 0 R" points to another object.
_LENGTH = re.compile(
    rb"/Length" + _WS + rb"+(\d+)(?!\d)(?!" + _WS + rb"{1,8}\d{1,5}" + _WS + rb"{1,8}R)"
)
_DICT_BRACKETS = re.compile(rb"<<|>>")
_OBJSTM = re.compile(rb"/ObjStm(?![A-Za-z0-9])")
_FILTER = re.compile(rb"/Filter" + _WS + rb"*(?:\[([^\]]*)\]|(/[A-Za-z0-9]+))")
_PREDICTOR = re.compile(rb"/Predictor" + _WS + rb"+(\d+)")
_KEY = re.compile(rb"/([A-Za-z0-9]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MARGIN = 1024  # longer than any match above: a match starting before the margin is complete
_LOOKBACK = 8 * 1024  # how far back a stream's dictionary is looked for


class _PdfScanner:
    """One streaming pass over a PDF, fed chunk by chunk.

    Sets ``active`` on /JavaScript, /Launch, /EmbeddedFile(s) or a /JS key (names written with
    #hh escapes included), and ``uninspectable`` when an object stream cannot be inflated (other
    filters, encryption, corruption, bomb): the keys it holds would otherwise go unseen.
    """

    def __init__(self) -> None:
        self.active = False
        self.uninspectable = False
        self._buf = b""
        self._base = 0  # file offset of _buf[0]
        self._pos = 0  # file offset up to which the bytes have been examined
        self._skip: int | None = None  # in stream data: where /Length ends it (-1: unknown)
        self._inflater: zlib.Decompress | None = None
        self._inflated_until = -1  # file offset the object stream being inflated has reached
        self._inflated_total = 0
        self._inflated_tail = b""

    def feed(self, chunk: bytes) -> None:
        self._buf += chunk
        self._run(final=False)
        # Keep a look-back for the dictionary before the next "stream" keyword.
        drop = max(0, self._pos - self._base - _LOOKBACK)
        self._buf = self._buf[drop:]
        self._base += drop

    def finish(self) -> None:
        self._run(final=True)
        if self._inflater is not None:  # object stream cut short
            self.uninspectable = True

    def _run(self, final: bool) -> None:
        buf, base = self._buf, self._base
        end = base + len(buf)
        limit = end if final else end - _MARGIN
        if self._inflater is not None:
            self._inflate(buf[self._inflated_until - base :], end)
        if self.active or limit <= self._pos:
            return

        # At the very end, a sentinel lets a name that closes the file meet its delimiter.
        text = buf + b" " if final else buf
        found = _ACTIVE_NAME.search(text, max(0, self._pos - base - 64))
        if found and found.start() + base < limit:
            self.active = True
            return

        cur = self._pos
        while cur < limit:
            start = self._next_stream(buf, base, cur, limit)
            bound = start.start() + base if start else limit
            if self._skip is not None:
                stop = _STREAM_STOP.search(buf, cur - base, bound - base + 64)
                stop_at = stop.start() + base if stop else end
                if self._skip >= 0:
                    stop_at = min(stop_at, self._skip)
                if stop_at < bound:
                    cur, self._skip = max(stop_at, cur), None
                    continue
            else:
                js = _JS_KEY.search(text, cur - base, bound - base + 64)
                if js and js.start() + base < bound:
                    self.active = True
                    return
            if start is None:
                cur = limit
                break
            cur = self._enter_stream(buf, base, start, end)
            if self.active:
                return
        self._pos = cur

    def _next_stream(self, buf: bytes, base: int, cur: int, limit: int) -> re.Match[bytes] | None:
        if self._inflater is not None:  # all that follows is still object stream data
            return None
        start = _STREAM_START.search(buf, max(cur, self._inflated_until) - base)
        return start if start and start.start() + base < limit else None

    def _enter_stream(self, buf: bytes, base: int, start: re.Match[bytes], end: int) -> int:
        """Read the stream's dictionary; inflate object streams. Returns where data begins."""
        data_start = start.end() + base
        # Two readings of the dictionary, the longer kept: matched backwards from ">>", or from
        # the object's header. A string holding "<<" or "1 0 obj" fools one, not both.
        dictionary = max(
            _dictionary_before(buf, start.start()), _object_region(buf, start.start()), key=len
        )
        dictionary = _decode_names(dictionary)
        length = _LENGTH.search(dictionary)
        self._skip = data_start + int(length[1]) if length else -1

        keys = set(_KEY.findall(dictionary))
        # /Type is optional for readers: /N with /First also mark an object stream.
        is_object_stream = _OBJSTM.search(dictionary) is not None or {b"N", b"First"} <= keys
        if not is_object_stream:
            return data_start
        if b"Filter" not in keys:
            self._skip = None  # an uncompressed object stream is scanned as it is
            return data_start
        filters = _FILTER.search(dictionary)
        names = _KEY.findall(filters[1] or filters[2]) if filters else []
        predictor = _PREDICTOR.search(dictionary)
        if names != [b"FlateDecode"] or (predictor and int(predictor[1]) > 1):
            self.uninspectable = True
            return data_start
        self._inflater = zlib.decompressobj()
        self._inflated_until = data_start
        self._inflated_tail = b""
        self._inflate(buf[data_start - base :], end)
        return data_start

    def _inflate(self, data: bytes, end: int) -> None:
        """Feed object stream data (reaching file offset ``end``) and scan what comes out."""
        inflater = self._inflater
        assert inflater is not None
        while True:
            try:
                out = inflater.decompress(data, CHUNK_SIZE)
            except zlib.error:
                out = None
            if out is None or self._inflated_total + len(out) > PDF_MAX_INFLATED:
                self.uninspectable = True
                self._inflater, self._inflated_until = None, end
                return
            self._inflated_total += len(out)
            text = self._inflated_tail + out
            if inflater.eof:
                text += b" "  # the last object may be a bare name
            if _ACTIVE_NAME.search(text) or _JS_KEY.search(text):
                self.active = True
            self._inflated_tail = text[-64:]
            data = inflater.unconsumed_tail
            if inflater.eof:
                self._inflater, self._inflated_until = None, end - len(inflater.unused_data)
                return
            if not data and len(out) < CHUNK_SIZE:
                self._inflated_until = end
                return


def _decode_names(data: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)


def _dictionary_before(buf: bytes, close: int) -> bytes:
    """The dictionary whose ">>" is at ``close``, matched backwards (b"" if unbalanced).

    Reversed, the rightmost "<<"/">>" pairs come first, which keeps ">>>" (a hex string, then
    the dictionary's end) paired correctly.
    """
    for reach in (512, _LOOKBACK):  # most dictionaries are short: look close first
        lower = max(0, close - reach)
        window = buf[lower:close]
        depth = 1
        for token in _DICT_BRACKETS.finditer(window[::-1]):
            depth += 1 if token[0] == b">>" else -1
            if depth == 0:
                return buf[lower + len(window) - token.end() : close + 2]
        if lower == 0:
            break
    return b""


def _object_region(buf: bytes, close: int) -> bytes:
    """From the last "N G obj" header before ``close`` to the dictionary's end (b"" if none)."""
    for reach in (512, _LOOKBACK):
        lower = max(0, close - reach)
        headers = list(_OBJ_HEADER.finditer(buf, lower, close))
        if headers:
            return buf[headers[-1].start() : close + 2]
        if lower == 0:
            break
    return b""
