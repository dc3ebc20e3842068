"""Uploads are recognised by their bytes: real PDF, XLSX and ODS pass, disguised files do not."""

import hashlib
import io
import os
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook
from weasyprint import HTML, Attachment

from grants.uploads import (
    CHUNK_SIZE,
    FileKind,
    InspectedFile,
    accepted_formats_label,
    inspect_upload,
)

ALL = (FileKind.PDF, FileKind.XLSX, FileKind.ODS)
TEN_MB = 10 * 1024 * 1024
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


# --- real files, built as applicants' tools would ------------------------------------------


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return HTML(string="<h1>Budget</h1><p>Bonjour</p>").write_pdf()


@pytest.fixture(scope="module")
def xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Poste", "Montant"])
    sheet.append(["Développement", 120_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ODS_CONTENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
 <office:body><office:spreadsheet><table:table table:name="Budget"><table:table-row>
  <table:table-cell office:value-type="string"><text:p>Poste</text:p></table:table-cell>
  <table:table-cell office:value-type="float" office:value="120000"><text:p>120000</text:p>
  </table:table-cell>
 </table:table-row></table:table></office:spreadsheet></office:body>
</office:document-content>
"""
ODS_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
  manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/"
   manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def build_zip(entries: dict[str, bytes], mimetype: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            # OpenDocument: "mimetype" first and stored, so that its bytes are readable at 38.
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def ods() -> bytes:
    return build_zip(
        {"content.xml": ODS_CONTENT, "META-INF/manifest.xml": ODS_MANIFEST}, ODS_MIMETYPE
    )


def upload(content: bytes, name: str = "piece.pdf") -> SimpleUploadedFile:
    # The declared type is a lie on purpose: only the bytes count.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(content: bytes, name: str = "piece.pdf", allowed=ALL, max_bytes=TEN_MB):
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload(content, name), allowed, max_bytes)
    return caught.value


def with_update(pdf: bytes, objects: bytes) -> bytes:
    """An incremental update appended to a real PDF, as editors write them (ending, as the
    file did, on where its cross-reference table starts)."""
    xref = pdf[pdf.rindex(b"startxref") :].split()[1]
    return pdf + b"\n" + objects + b"\nstartxref\n" + xref + b"\n%%EOF\n"


def object_stream(objects: bytes, dictionary: bytes = b"/Type/ObjStm/N 1/First 5") -> bytes:
    data = zlib.compress(objects)
    return (
        b"20 0 obj\n<<"
        + dictionary
        + b"/Filter/FlateDecode/Length %d>>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj"
    )


# --- accepted -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "name", "kind", "content_type"),
    [
        ("pdf", "dossier.pdf", FileKind.PDF, "application/pdf"),
        ("xlsx", "budget.xlsx", FileKind.XLSX, XLSX_TYPE),
        ("ods", "budget.ods", FileKind.ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        # By content, not by name: a misnamed spreadsheet is still what it is.
        ("xlsx", "budget.pdf", FileKind.XLSX, XLSX_TYPE),
    ],
)
def test_real_files_are_recognised(request, fixture, name, kind, content_type):
    content = request.getfixturevalue(fixture)
    uploaded = upload(content, name)

    inspected = inspect_upload(uploaded, ALL, TEN_MB)

    assert inspected == InspectedFile(
        kind=kind,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert uploaded.tell() == 0


def test_each_kind_alone_is_accepted(pdf, xlsx, ods):
    assert inspect_upload(upload(pdf), [FileKind.PDF], TEN_MB).kind == FileKind.PDF
    assert inspect_upload(upload(xlsx), [FileKind.XLSX], TEN_MB).kind == FileKind.XLSX
    # Formats as stored on attachment slots: plain values.
    assert inspect_upload(upload(ods), ("ods",), TEN_MB).kind == FileKind.ODS


def test_position_is_back_at_zero_whatever_happens(pdf, xlsx):
    uploaded = upload(pdf)
    uploaded.read(100)  # a caller that already peeked: inspection starts from the beginning
    inspect_upload(uploaded, ALL, TEN_MB)
    assert uploaded.tell() == 0
    assert uploaded.read() == pdf

    refused = upload(xlsx)
    with pytest.raises(ValidationError):
        inspect_upload(refused, [FileKind.PDF], TEN_MB)
    assert refused.tell() == 0


def test_any_binary_file_object_will_do(pdf):
    # No .size, reads that return a few bytes at a time: nothing is assumed about chunks.
    class Trickle(io.BytesIO):
        def read(self, size=-1):
            return super().read(7 if size is None or size < 0 else min(size, 7))

    inspected = inspect_upload(Trickle(pdf), [FileKind.PDF], TEN_MB)
    assert inspected.sha256 == hashlib.sha256(pdf).hexdigest()

    hidden = with_update(pdf, object_stream(b"10 0 <</S/JavaScript/JS(app.alert(1))>>"))
    with pytest.raises(ValidationError) as caught:
        inspect_upload(Trickle(hidden), [FileKind.PDF], TEN_MB)
    assert caught.value.code == "pdf_active_content"


class Recorder(io.BytesIO):
    def __init__(self, content: bytes):
        super().__init__(content)
        self.reads: list[int] = []

    def read(self, size=-1):
        data = super().read(size)
        self.reads.append(len(data))
        return data


def test_a_pdf_is_read_once_in_chunks(pdf):
    payload = os.urandom(3 * 1024 * 1024)
    big = with_update(
        pdf,
        b"9 0 obj\n<</Subtype/Image/Filter/DCTDecode/Length %d>>\nstream\n" % len(payload)
        + payload
        + b"\nendstream\nendobj",
    )
    recorder = Recorder(big)

    assert inspect_upload(recorder, [FileKind.PDF], TEN_MB).size == len(big)
    assert sum(recorder.reads) == len(big)
    assert max(recorder.reads) <= CHUNK_SIZE


def test_a_spreadsheet_is_read_once_plus_its_directory():
    media = os.urandom(2 * 1024 * 1024)  # incompressible: the archive is as large
    archive = build_zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/a.bin": media}
    )
    recorder = Recorder(archive)

    assert inspect_upload(recorder, [FileKind.XLSX], TEN_MB).kind == FileKind.XLSX
    # One pass for the hash, then zipfile reads only the end record and the directory.
    assert sum(recorder.reads) < len(archive) + 128 * 1024


# --- size -----------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    error = refusal(b"")
    assert error.code == "empty"
    assert error.messages == ["Le fichier est vide."]


def test_a_file_over_the_limit_is_refused_with_the_limit(pdf):
    error = refusal(pdf + bytes(TEN_MB))
    assert error.code == "too_large"
    assert error.messages == ["Le fichier dépasse la taille maximale de 10 Mo."]

    error = refusal(pdf, max_bytes=len(pdf) - 1)
    assert error.code == "too_large"

    error = refusal(bytes(2 * 1024 * 1024), max_bytes=1536 * 1024)
    assert error.messages == ["Le fichier dépasse la taille maximale de 1,5 Mo."]


def test_the_size_counted_is_trusted_not_the_size_declared(pdf):
    class Liar(io.BytesIO):
        size = 10

    with pytest.raises(ValidationError) as caught:
        inspect_upload(Liar(pdf + bytes(3 * CHUNK_SIZE)), ALL, 2 * CHUNK_SIZE)
    assert caught.value.code == "too_large"


# --- disguised or broken files --------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"MZ" + b"\x90" * 58 + b"\x80\x00\x00\x00" + b"This program cannot be run in DOS mode.",
        b"\x7fELF\x02\x01\x01" + bytes(100),
        b"#!/bin/sh\nrm -rf ~\n",
    ],
    ids=["windows-exe", "elf", "script"],
)
def test_an_executable_named_pdf_is_refused(content):
    error = refusal(content, name="budget.pdf", allowed=[FileKind.PDF])
    assert error.code == "executable"
    assert error.messages == ["Ce fichier n'est pas un PDF valide (formats acceptés : PDF)."]


def test_a_self_extracting_archive_is_not_a_spreadsheet(xlsx):
    # zipfile.is_zipfile accepts an executable with a ZIP appended; the magic number does not.
    error = refusal(b"MZ" + bytes(1000) + xlsx, name="budget.xlsx")
    assert error.code == "executable"


def test_an_xlsx_is_refused_where_only_pdf_is_accepted(xlsx):
    error = refusal(xlsx, name="dossier.pdf", allowed=[FileKind.PDF])
    assert error.code == "invalid_format"
    assert error.messages == ["Ce fichier n'est pas un PDF valide (formats acceptés : PDF)."]


def test_a_format_outside_several_accepted_ones_is_refused(ods):
    error = refusal(ods, name="budget.xlsx", allowed=[FileKind.XLSX, FileKind.PDF])
    assert error.messages == [
        "Le contenu de ce fichier ne correspond à aucun des formats acceptés (PDF, XLSX)."
    ]


def test_a_truncated_pdf_is_refused(pdf):
    error = refusal(pdf[: len(pdf) // 2])
    assert error.code == "invalid_format"
    assert error.messages == [
        "Ce fichier n'est pas un PDF valide (formats acceptés : PDF, XLSX, ODS)."
    ]


def test_a_pdf_must_start_with_its_header(pdf):
    assert refusal(b"\n" + pdf).code == "invalid_format"
    assert refusal(b"%PDF-").code == "invalid_format"


def test_a_plain_zip_named_xlsx_is_refused():
    archive = build_zip({"budget.csv": b"poste;montant\n"})
    error = refusal(archive, name="budget.xlsx", allowed=[FileKind.XLSX])
    assert error.code == "invalid_format"
    assert error.messages == ["Ce fichier n'est pas un XLSX valide (formats acceptés : XLSX)."]


def test_another_opendocument_is_not_a_spreadsheet():
    text = build_zip({"content.xml": b"<x/>"}, b"application/vnd.oasis.opendocument.text")
    error = refusal(text, name="budget.ods", allowed=[FileKind.ODS, FileKind.PDF])
    assert error.messages == ["Ce fichier n'est pas un ODS valide (formats acceptés : PDF, ODS)."]


def test_a_corrupt_zip_is_refused(xlsx):
    assert refusal(xlsx[:-30], name="budget.xlsx").code == "invalid_format"


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused(xlsx):
    entries = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    entries["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + bytes(100)
    error = refusal(build_zip(entries), name="budget.xlsx")
    assert error.code == "macro_enabled"


# --- zip bombs and path traversal -----------------------------------------------------------

SHEET = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def test_an_archive_with_too_many_entries_is_refused():
    entries = dict(SHEET) | {f"xl/worksheets/sheet{i}.xml": b"" for i in range(2_000)}
    error = refusal(build_zip(entries), name="budget.xlsx")
    assert error.code == "unsafe_archive"


def test_an_archive_that_inflates_beyond_the_limit_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in SHEET.items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w") as entry:
            block = bytes(1024 * 1024)
            for _ in range(201):
                entry.write(block)
    assert len(buffer.getvalue()) < 1024 * 1024  # 201 MB of zeros in a few hundred kB

    error = refusal(buffer.getvalue(), name="budget.xlsx")
    assert error.code == "unsafe_archive"


def test_an_archive_declaring_a_huge_entry_is_refused():
    archive = bytearray(build_zip(SHEET | {"xl/sharedStrings.xml": b"<sst/>"}))
    # Rewrite the uncompressed size the central directory declares for the last entry.
    entry = archive.rfind(b"PK\x01\x02")
    archive[entry + 24 : entry + 28] = (300 * 1024 * 1024).to_bytes(4, "little")

    assert refusal(bytes(archive), name="budget.xlsx").code == "unsafe_archive"


@pytest.mark.parametrize("name", ["../../etc/cron.d/ruche", "/etc/passwd", "xl\\..\\..\\x"])
def test_an_archive_with_escaping_paths_is_refused(name):
    error = refusal(build_zip(SHEET | {name: b"x"}), name="budget.xlsx")
    assert error.code == "unsafe_archive"


# --- active content in PDFs -----------------------------------------------------------------

ACTIVE_MESSAGE = (
    "Ce PDF contient du contenu actif (JavaScript ou fichier intégré) et ne peut être accepté."
)


@pytest.mark.parametrize(
    "objects",
    [
        b"9 0 obj\n<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>\nendobj",
        b"9 0 obj\n<</S/Launch/F(cmd.exe)>>\nendobj",
        # Names written with #hh escapes are the same names for a reader.
        b"9 0 obj\n<</S/J#61va#53cript/J#53 12 0 R>>\nendobj",
        # A rendition action runs /JS without naming /JavaScript anywhere.
        b"9 0 obj\n<</S/Rendition/JS (this.print())>>\nendobj",
        b"9 0 obj\n<</Names<</EmbeddedFiles 10 0 R>>>>\nendobj",
        # Hidden in a compressed object stream, where modern PDFs keep their dictionaries.
        object_stream(b"10 0 <</S/JavaScript/JS(app.alert(1))>>"),
        # ... even one that omits its /Type or hides its dictionary's start in a string.
        object_stream(b"10 0 <</S/Launch/F(calc.exe)>>", b"/N 1/First 5/Note(<<)"),
    ],
    ids=["javascript", "launch", "escaped", "rendition", "embedded", "objstm", "objstm-untyped"],
)
def test_a_pdf_with_active_content_is_refused(pdf, objects):
    error = refusal(with_update(pdf, objects), allowed=[FileKind.PDF])
    assert error.code == "pdf_active_content"
    assert error.messages == [ACTIVE_MESSAGE]


def test_a_pdf_with_an_attached_file_is_refused():
    attached = HTML(string="<p>Annexe</p>").write_pdf(
        attachments=[Attachment(string="payload", name="macro.xlsm")]
    )
    assert refusal(attached).code == "pdf_active_content"


@pytest.mark.parametrize("offset", [-10, -4, -1, 0, 3])
def test_active_content_across_a_chunk_boundary_is_found(offset):
    # "/JavaScript" starts around the end of the first chunk read.
    prefix = b"%PDF-1.7\n%"
    padding = CHUNK_SIZE + offset - len(prefix) - len(b"\n9 0 obj <</S")
    content = (
        prefix
        + b"x" * padding
        + b"\n9 0 obj <</S/JavaScript/JS(app.alert(1))>> endobj\ntrailer<</Root 9 0 R>>\n%%EOF\n"
    )
    assert content.index(b"/JavaScript") == CHUNK_SIZE + offset

    assert refusal(content).code == "pdf_active_content"


def test_lookalike_names_and_binary_data_are_not_active_content(pdf):
    # /JSON is not /JS; "/JS(" inside image data is no key, only bytes.
    image = os.urandom(4096) + b"/JS(" + os.urandom(4096)
    objects = (
        b"9 0 obj\n<</Title(API REST/JSON)/JSONSchema 1>>\nendobj\n"
        b"10 0 obj\n<</Subtype/Image/Filter/DCTDecode/Length %d>>\nstream\n"
        % len(image)
        + image
        + b"\nendstream\nendobj\n"
        # Same with a /Length stored elsewhere: the data runs to "endstream".
        b"11 0 obj\n<</Subtype/Image/Filter/FlateDecode/Length 12 0 R>>\nstream\n"
        + image
        + b"\nendstream\nendobj\n12 0 obj %d endobj" % len(image)
    )
    assert inspect_upload(upload(with_update(pdf, objects)), ALL, TEN_MB).kind == FileKind.PDF


@pytest.mark.parametrize(
    "objects",
    [
        b"20 0 obj\n<</Type/ObjStm/N 1/First 5/Filter/LZWDecode/Length 4>>\nstream\nabcd"
        b"\nendstream\nendobj",
        b"20 0 obj\n<</Type/ObjStm/N 1/First 5/Filter/FlateDecode/Length 9>>\nstream\n"
        b"not zlib!\nendstream\nendobj",
    ],
    ids=["other-filter", "corrupt"],
)
def test_a_pdf_whose_object_streams_cannot_be_read_is_refused(pdf, objects):
    error = refusal(with_update(pdf, objects), allowed=[FileKind.PDF])
    assert error.code == "pdf_uninspectable"


# --- labels ---------------------------------------------------------------------------------


def test_accepted_formats_label_is_in_a_stable_order():
    assert accepted_formats_label([FileKind.ODS, FileKind.PDF, FileKind.XLSX]) == "PDF, XLSX, ODS"
    assert accepted_formats_label(("ods", "pdf")) == "PDF, ODS"
    assert accepted_formats_label([FileKind.PDF]) == "PDF"


def test_at_least_one_format_must_be_allowed(pdf):
    with pytest.raises(ValueError, match="at least one"):
        inspect_upload(upload(pdf), [], TEN_MB)
