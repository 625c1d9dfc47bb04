"""The batch fast path: CMS signatures and time-stamp tokens assembled from templates.

Every document of a batch is signed by the same certificate with the same layout of signed attributes;
only the document digest, the signature value and the time-stamp change. pyHanko builds the first
signature (and the TSA builds the first token) with asn1crypto as usual; we keep their DER pieces and, for
each following document, splice the new digest and signature into them and recompute the enclosing DER
lengths. The result is byte-for-byte the structure pyHanko itself produced, and is checked by pyHanko's
validator and by `pdfsig` in the tests and the benchmark.

Extension points used: `Signer.async_sign` (pyHanko's CMS signer API) and `TimeStamper.async_timestamp`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os

from asn1crypto import algos, cms, core, tsp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

# only these signed attributes may be templated: none of them changes between documents except the digest
CONSTANT_ATTRS = {"content_type", "message_digest", "signing_certificate_v2", "signing_certificate",
                  "cms_algorithm_protection"}
OID_SIGNATURE_TST = core.ObjectIdentifier("1.2.840.113549.1.9.16.2.14").dump()


def der(tag: int, content: bytes) -> bytes:
    """A DER TLV with a one-byte tag."""
    n = len(content)
    if n < 0x80:
        return bytes((tag, n)) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(size))) + size + content


def _sign(key, data: bytes) -> bytes:
    if isinstance(key, EllipticCurvePrivateKey):
        return key.sign(data, ECDSA(hashes.SHA256()))
    return key.sign(data, PKCS1v15(), hashes.SHA256())


class CmsTemplate:
    """The DER pieces of one SignedData, ready to take a new digest and signature."""

    def __init__(self, content_info: cms.ContentInfo, digest: bytes):
        sd = content_info["content"]
        si = sd["signer_infos"][0]
        names = {a["type"].native for a in si["signed_attrs"]}
        if not names <= CONSTANT_ATTRS:
            raise ValueError(f"signed attributes vary per document: {names - CONSTANT_ATTRS}")
        self.ci_oid = content_info["content_type"].dump()
        self.sd_prefix = b"".join(sd[f].dump() for f in ("version", "digest_algorithms", "encap_content_info",
                                                         "certificates", "crls") if not isinstance(sd[f], core.Void))
        self.si_prefix = b"".join(si[f].dump() for f in ("version", "sid", "digest_algorithm"))
        self.attrs = si["signed_attrs"].dump()
        self.digest_at = self.attrs.index(digest)
        self.sig_alg = si["signature_algorithm"].dump()

    def assemble(self, key, digest: bytes, unsigned=None) -> tuple[bytes, bytes]:
        """(ContentInfo DER, raw signature) for a new document digest; `unsigned(signature)` adds attributes."""
        attrs = self.attrs[: self.digest_at] + digest + self.attrs[self.digest_at + len(digest):]
        signature = _sign(key, b"\x31" + attrs[1:])  # signed over the SET OF, stored as [0] IMPLICIT
        tail = unsigned(signature) if unsigned else b""
        si = der(0x30, self.si_prefix + attrs + self.sig_alg + der(0x04, signature) + tail)
        sd = der(0x30, self.sd_prefix + der(0x31, si))
        return der(0x30, self.ci_oid + der(0xA0, sd)), signature


class TokenFactory:
    """RFC 3161 time-stamp tokens of the platform TSA, from a template made by pyHanko's DummyTimeStamper."""

    def __init__(self, first_token: cms.ContentInfo, tsa_key, policy: str = "1.3.6.1.4.1.4146.2.2"):
        self.key = tsa_key
        sd = first_token["content"]
        si = sd["signer_infos"][0]
        self.tsa_name = tsp.TSTInfo.load(sd["encap_content_info"]["content"].parsed.dump())["tsa"]
        self.policy = policy
        self.ci_oid = first_token["content_type"].dump()
        self.sd_head = sd["version"].dump() + sd["digest_algorithms"].dump()
        self.sd_certs = sd["certificates"].dump()
        self.si_prefix = b"".join(si[f].dump() for f in ("version", "sid", "digest_algorithm"))
        self.sig_alg = si["signature_algorithm"].dump()
        self.attr_parts = [a.dump() for a in si["signed_attrs"]]
        self.attr_types = [a["type"].native for a in si["signed_attrs"]]

    def token(self, imprint: bytes, when: dt.datetime | None = None) -> bytes:
        when = (when or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
        tst_info = tsp.TSTInfo({
            "version": "v1", "policy": self.policy,
            "message_imprint": tsp.MessageImprint({"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                                                   "hashed_message": imprint}),
            "serial_number": int.from_bytes(os.urandom(15), "big"), "gen_time": when, "tsa": self.tsa_name,
        }).dump()
        parts = []
        for kind, part in zip(self.attr_types, self.attr_parts):
            if kind == "signing_time":
                part = cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(when)})]}).dump()
            elif kind == "message_digest":
                part = cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(tst_info).digest()]}).dump()
            parts.append(part)
        body = b"".join(sorted(parts))  # DER SET OF: sorted encodings
        signature = _sign(self.key, der(0x31, body))
        encap = der(0x30, tsp.ContentType("tst_info").dump() + der(0xA0, der(0x04, tst_info)))
        si = der(0x30, self.si_prefix + der(0xA0, body) + self.sig_alg + der(0x04, signature))
        sd = der(0x30, self.sd_head + encap + self.sd_certs + der(0x31, si))
        return der(0x30, self.ci_oid + der(0xA0, sd))

    def unsigned_attrs(self, signature: bytes) -> bytes:
        """The [1] unsigned attributes of a signer info: its signature time-stamp token."""
        token = self.token(hashlib.sha256(signature).digest())
        return der(0xA1, der(0x30, OID_SIGNATURE_TST + der(0x31, token)))
