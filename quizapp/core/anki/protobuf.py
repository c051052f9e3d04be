"""Just enough of the protobuf wire format to read a few fields Anki stores as protobuf.

Anki's package `meta` and its schema-18 note type and template configs are protobuf
messages. quizapp needs three scalar fields from them (the package version, a note type's
kind, a template's front and back formats); a generated-code dependency for that would be
heavier than these few lines, which read the documented wire format and nothing else.
"""

from __future__ import annotations

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated protobuf varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError("protobuf varint longer than 10 bytes")


def fields(data: bytes) -> dict[int, int | bytes]:
    """The top-level fields of a message by number (the last occurrence wins, as in protobuf)."""
    out: dict[int, int | bytes] = {}
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            out[number], pos = _varint(data, pos)
        elif wire == _LEN:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ValueError("truncated protobuf field")
            out[number] = data[pos : pos + length]
            pos += length
        elif wire in (_I64, _I32):
            width = 8 if wire == _I64 else 4
            if pos + width > len(data):
                raise ValueError("truncated protobuf field")
            out[number] = int.from_bytes(data[pos : pos + width], "little")
            pos += width
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return out


def read_varint_field(data: bytes, number: int, default: int | None = None) -> int | None:
    value = fields(data).get(number, default)
    if isinstance(value, bytes):
        raise ValueError(f"protobuf field {number} is not a number")
    return value


def read_string_field(data: bytes, number: int) -> str:
    value = fields(data).get(number, b"")
    if not isinstance(value, bytes):
        raise ValueError(f"protobuf field {number} is not a string")
    return value.decode("utf-8", errors="replace")
