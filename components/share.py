"""Share links: the architecture packed into the URL (compact JSON → zlib → base64url).

``?a=<token>&d=<dataset>`` restores the model when opened. Decoding is strict: a token
that is too long, not base64url, not zlib, or not a valid LayerLab document raises
:class:`LinkError` saying why, never a traceback.
"""
from __future__ import annotations

import base64
import binascii
import json
import zlib
from urllib.parse import urlencode

from builder.architecture import MAX_BYTES, Architecture
from builder.errors import LabError

ARCH_PARAM, DATASET_PARAM = "a", "d"
MAX_TOKEN = 16_000  # characters: URLs much longer than this break in browsers and proxies


class LinkError(LabError):
    """A share link that cannot be opened; the message includes the reason."""

    def __init__(self, reason: LabError) -> None:
        super().__init__("bad_link", reason=reason)
        self.reason = reason


def encode(arch: Architecture) -> str:
    """The URL-safe token for ``arch``."""
    compact = json.dumps(arch.to_dict(), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(compact.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(token: str) -> Architecture:
    """The architecture in ``token`` (raises LinkError saying what is wrong)."""
    if len(token) > MAX_TOKEN:
        raise LinkError(LabError("too_big", size=len(token), limit=MAX_TOKEN))
    try:
        padded = token + "=" * (-len(token) % 4)
        packed = base64.b64decode(padded, altchars=b"-_", validate=True)
        inflater = zlib.decompressobj()
        text = inflater.decompress(packed, MAX_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise LinkError(LabError("link_garbled")) from None
    if not inflater.eof and not inflater.unconsumed_tail:
        raise LinkError(LabError("link_garbled"))
    if len(text) > MAX_BYTES or inflater.unconsumed_tail:
        raise LinkError(LabError("too_big", size=len(text), limit=MAX_BYTES))
    try:
        return Architecture.from_json(text)
    except LabError as exc:
        raise LinkError(exc) from None


def link(base_url: str, arch: Architecture, dataset: str) -> str:
    """A full share link: ``base_url?a=<token>&d=<dataset>``."""
    return f"{base_url}?{urlencode({ARCH_PARAM: encode(arch), DATASET_PARAM: dataset})}"
