"""Bytes as text: UTF-8 (with or without a byte order mark), UTF-16 with its byte order
mark, else cp1252 or latin-1 with a warning; and binary files told apart from text (a
known binary signature such as PDF or ZIP, NUL bytes, or mostly control characters),
so that such a file is an error article rather than garbage sent to a model.

Nothing here raises for bad bytes: :func:`decode` and :func:`decode_text` return
``(text, warnings, error)``, and summarize.readers turns an error into an article with
``error`` set.
"""

from __future__ import annotations

#: Leading bytes of common binary formats that hold no NUL byte early on.
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (docx, xlsx, epub ...)",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a RAR archive",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}
#: Share of control characters (other than tab, newline, carriage return, form feed)
#: above which decoded bytes are taken for a binary file rather than text.
MAX_CONTROL_SHARE = 0.05


def decode(data: bytes, where: str) -> tuple[str | None, list[str], str | None]:
    """Text of ``data`` as (text, warnings, error): UTF-8, else cp1252/latin-1 with a warning."""
    if not data.strip():
        return None, [], "empty file" if not data else "file holds only whitespace"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), [f"{where}: UTF-16 text, decoded"], None
        except UnicodeDecodeError as exc:
            return None, [], f"not valid UTF-16 despite its byte order mark: {exc.reason}"
    binary = binary_problem(data)
    if binary:
        return None, [], binary
    return decode_text(data, where)


def binary_problem(data: bytes) -> str | None:
    """Why ``data`` (a file, or its first 8 KB) is a binary file rather than text, or None."""
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return f"binary file ({kind}), not text"
    if b"\x00" in data[:8192]:
        return "binary file (contains NUL bytes), not text"
    return None


def decode_text(data: bytes, where: str, *, check_controls: bool = True
                ) -> tuple[str | None, list[str], str | None]:
    """(text, warnings, error) of bytes that are not binary: UTF-8, else cp1252 or
    latin-1 with a warning; an error when that gives mostly control characters (unless
    ``check_controls`` is False: a JSON line cannot hold raw ones, its parser says so)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    else:
        if check_controls and control_share(text) > MAX_CONTROL_SHARE:
            return None, [], "binary file (mostly control characters), not text"
        return text, [], None
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if check_controls and control_share(text) > MAX_CONTROL_SHARE:
            return None, [], f"binary file ({bad}, and mostly control characters), not text"
        return text, [f"{where}: {bad}; decoded as {encoding}"], None
    return None, [], bad  # pragma: no cover - latin-1 decodes every byte


#: Control characters (C0 and C1, except common whitespace), deleted by str.translate.
_CONTROLS = {code: None for code in [*range(32), *range(0x7F, 0xA0)] if chr(code) not in "\t\n\r\f"}


def control_share(text: str) -> float:
    """Share of control characters (C0 and C1, except common whitespace) in the first 8 KB."""
    head = text[:8192]
    return (len(head) - len(head.translate(_CONTROLS))) / max(1, len(head))

