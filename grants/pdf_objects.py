"""Active content found by parsing a PDF's objects (pypdf), where byte patterns fall short.

``PdfScanner`` (pdf_scan.py) refuses named dangers while the upload streams in: JavaScript,
launch actions, embedded files. This second pass reads the document as a viewer does, from
its trailer through every reachable object, and finds what only the structure shows:

- an action that runs by itself — the document's /OpenAction, or any /AA (additional
  actions: on opening a page, focusing a field, closing…) — that opens a web address, submits
  a form, imports data or opens another file;
- a form submission or data import wherever it sits (a button the reader may click);
- a link to another document on a network path (``\\\\server\\share``, ``smb://``…), which
  makes Windows send the reader's credentials;
- an XFA form (Adobe's XML forms) carrying a script;
- a file that is at once a PDF and an HTML page: opened in a browser, its scripts would run.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# Actions refused wherever they are: they run code, or send or fetch data.
ALWAYS_REFUSED = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/Rendition",
    "/RichMediaExecute",
    "/GoToE",
}
# Refused when they run by themselves: a clickable web link in a PDF is ordinary.
REFUSED_WHEN_AUTOMATIC = ALWAYS_REFUSED | {"/URI", "/GoToR", "/Thread"}
# Actions that open another file, refused when that file is on the network.
OPENS_A_FILE = {"/GoToR", "/GoToE", "/Launch", "/Thread"}
AUTOMATIC_KEYS = {"/OpenAction", "/AA"}

_NETWORK_PATH = re.compile(r"^(?:\\\\|//|/{0,1}[a-z][a-z0-9+.-]*://)", re.IGNORECASE)
# What a browser takes for a web page; "<" followed by letters never starts PDF syntax
# (dictionaries are "<<", hex strings hold hex digits only).
_HTML = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta\s+http-equiv)[\s>/]",
    re.IGNORECASE,
)
_XFA_SCRIPT = re.compile(rb"<script[\s>/]|x-javascript|formcalc", re.IGNORECASE)


class Uninspectable(Exception):
    """The PDF's structure could not be read."""


def active_content(data: bytes) -> str | None:
    """Why the PDF ``data`` is refused (a short reason for logs), or None."""
    if _HTML.search(data):
        return "html"
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Uninspectable("encrypted")
        return _walk(reader.trailer)
    except Uninspectable:
        raise
    except Exception as error:  # pypdf raises many kinds on malformed files
        raise Uninspectable(type(error).__name__) from error


def _walk(trailer: DictionaryObject) -> str | None:
    stack: list[tuple[object, bool]] = [(trailer, False)]
    seen: set[tuple[int, int, bool]] = set()
    while stack:
        node, automatic = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation, automatic)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            reason = _refused_action(node, automatic)
            if reason:
                return reason
            for name, value in node.items():
                if name == "/XFA" and _xfa_has_script(value):
                    return "xfa-script"
                stack.append((value, automatic or name in AUTOMATIC_KEYS))
        elif isinstance(node, ArrayObject):
            stack.extend((item, automatic) for item in node)
    return None


def _refused_action(dictionary: DictionaryObject, automatic: bool) -> str | None:
    kind = dictionary.get("/S")
    if kind in ALWAYS_REFUSED or (automatic and kind in REFUSED_WHEN_AUTOMATIC):
        return f"{'automatic ' if automatic else ''}{kind}"
    if kind in OPENS_A_FILE and _on_the_network(dictionary.get("/F")):
        return f"{kind} to a network path"
    return None


def _on_the_network(file_spec) -> bool:
    file_spec = file_spec.get_object() if isinstance(file_spec, IndirectObject) else file_spec
    if isinstance(file_spec, DictionaryObject):
        names = [file_spec.get(key) for key in ("/UF", "/F", "/DOS", "/Unix", "/Mac")]
        if file_spec.get("/FS") == "/URL":
            return True
    else:
        names = [file_spec]
    return any(name is not None and _NETWORK_PATH.match(str(name)) for name in names)


def _xfa_has_script(xfa) -> bool:
    """XFA is one XML stream, or an array alternating part names and streams."""
    xfa = xfa.get_object() if isinstance(xfa, IndirectObject) else xfa
    parts = xfa if isinstance(xfa, ArrayObject) else [xfa]
    for part in parts:
        part = part.get_object() if isinstance(part, IndirectObject) else part
        if isinstance(part, StreamObject) and _XFA_SCRIPT.search(part.get_data()):
            return True
    return False
