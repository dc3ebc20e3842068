"""A streaming scan of a PDF for active content: JavaScript, launch actions, embedded files.

A byte-level heuristic in the spirit of pdfid, not a parser: it also looks inside compressed
object streams, where most modern PDFs keep their dictionaries. See grants/uploads.py.
"""

import re
import zlib

# Object streams hold dictionaries only; a few MB is already a lot, so more is treated as a bomb.
PDF_MAX_INFLATED = 64 * 1024 * 1024
INFLATE_CHUNK = 64 * 1024  # bytes inflated at a time

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


class PdfScanner:
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
                out = inflater.decompress(data, INFLATE_CHUNK)
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
            if not data and len(out) < INFLATE_CHUNK:
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
