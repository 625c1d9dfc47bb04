"""PAdES sealing with pyHanko: visible stamp, platform time-stamp (B-T), validation data (B-LT).

`SealEngine` is built once per seal and process and reused for every document of a batch: the private key
object, the certificates, the stamp image (compressed once), the time-stamper and the validation context
stay in memory, and `bytes_reserved` is fixed so pyHanko skips its dry run. Everything is built on
pyHanko's extension points (a `SimpleSigner` subclass, a `PdfContent` subclass, a `DummyTimeStamper`
subclass) and checked by pyHanko's validator and `pdfsig` in the tests and the benchmark.
"""
from __future__ import annotations

import datetime as dt
import io
import zlib
from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from onestop.seals import aio, fastcms
from onestop.seals.documents import stamp_box
from onestop.seals.pki import PrivateKey
from onestop.seals.tsa import ExternalTimeStamper, TsaConfig

LEVELS = ("B-B", "B-T", "B-LT")


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class KeySigner(signers.SimpleSigner):
    """A SimpleSigner that keeps the `cryptography` key object instead of re-parsing the key per signature."""

    def __init__(self, key: PrivateKey, cert: x509.Certificate, chain: list[x509.Certificate]):
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        super().__init__(
            signing_cert=to_asn1(cert), signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([to_asn1(c) for c in chain]),
        )
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if isinstance(self._key, EllipticCurvePrivateKey):
            return self._key.sign(data, ECDSA(hashes.SHA256()))
        return self._key.sign(data, PKCS1v15(), hashes.SHA256())


class TemplateSigner(KeySigner):
    """KeySigner whose CMS comes from a template after the first document (see onestop.seals.fastcms)."""

    def __init__(self, key: PrivateKey, cert: x509.Certificate, chain: list[x509.Certificate], tokens=None):
        super().__init__(key, cert, chain)
        self._template = None
        self.tokens = tokens

    async def async_sign(self, data_digest, digest_algorithm, dry_run=False, use_pades=False, timestamper=None,
                         signed_attr_settings=None, is_pdf_sig=True, encap_content_info=None):
        plain = dry_run or encap_content_info is not None or digest_algorithm.lower() != "sha256"
        if not plain and self._template is None:
            first = await super().async_sign(data_digest, digest_algorithm, use_pades=use_pades,
                                             signed_attr_settings=signed_attr_settings, is_pdf_sig=is_pdf_sig)
            try:
                self._template = fastcms.CmsTemplate(first, data_digest)
            except ValueError:
                self._template = False
        if plain or not self._template or (timestamper is not None and self.tokens is None):
            return await super().async_sign(
                data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades, timestamper=timestamper,
                signed_attr_settings=signed_attr_settings, is_pdf_sig=is_pdf_sig, encap_content_info=encap_content_info)
        unsigned = self.tokens.unsigned_attrs if timestamper is not None else None
        der, _ = self._template.assemble(self._key, data_digest, unsigned)
        return cms.ContentInfo.load(der)


class PlatformTimeStamper(DummyTimeStamper):
    """The platform's RFC 3161 time-stamp service, in process (pyHanko's DummyTimeStamper, key kept loaded)."""

    def __init__(self, tsa_cert: x509.Certificate, tsa_key: PrivateKey, root: x509.Certificate):
        der = tsa_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        # the signed attributes below are always hashed with SHA-256, so the SignerInfo must say so too,
        # whatever hash the request's imprint used
        super().__init__(to_asn1(tsa_cert), asn1_keys.PrivateKeyInfo.load(der), certs_to_embed=[to_asn1(root)],
                         override_md="sha256")
        self._key = tsa_key

    def _sign_tst_info(self, tst_info_data, md_algorithm, dt_):
        from asn1crypto import cms, core

        from pyhanko.sign import general
        from pyhanko.sign.general import simple_cms_attribute

        digest = hashes.Hash(hashes.SHA256())
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt_)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        return self._key.sign(signed_attrs.dump(), PKCS1v15(), hashes.SHA256()), signed_attrs


class ServingTimeStamper(PlatformTimeStamper):
    """The platform TSA answering one HTTP request (onestop.seals.tsa.respond): built per request, so that
    RFC 3161's certReq is honoured (no certificates in the token when the client did not ask for them)."""

    def __init__(self, tsa_cert: x509.Certificate, tsa_key: PrivateKey, root: x509.Certificate, *, certs: bool):
        super().__init__(tsa_cert, tsa_key, root)
        self.certs = certs

    def _build_signed_data(self, tst_info_data, md_algorithm, signature, signed_attrs) -> dict:
        data = super()._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
        if not self.certs:
            data.pop("certificates")
        return data


class CachedImage(PdfImage):
    """The seal image, flate-compressed once; each document gets the same compressed streams."""

    def __init__(self, png: bytes, size: int = 240):
        img = Image.open(io.BytesIO(png)).convert("RGBA").resize((size, size), Image.LANCZOS)
        super().__init__(img)
        rgb, alpha = img.convert("RGB").tobytes(), img.split()[-1].tobytes()
        self._rgb, self._alpha = zlib.compress(rgb, 6), zlib.compress(alpha, 6)

    def _stream(self, data: bytes, colour: str, smask=None):
        d = {
            pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(self.image.width),
            pdf_name("/Height"): generic.NumberObject(self.image.height),
            pdf_name("/ColorSpace"): pdf_name(colour), pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
        }
        if smask is not None:
            d[pdf_name("/SMask")] = smask
        return self.writer.add_object(generic.StreamObject(d, encoded_data=data))

    @property
    def image_ref(self) -> generic.IndirectObject:
        ref = self._image_ref
        if ref is None or ref.get_pdf_handler() is not self.writer:
            smask = self._stream(self._alpha, "/DeviceGray")
            self._image_ref = ref = self._stream(self._rgb, "/DeviceRGB", smask)
        return ref


@dataclass
class Trust:
    """What the platform CA contributes to every signature: the root, the TSA and the current CRL."""

    root: x509.Certificate
    tsa_cert: x509.Certificate
    tsa_key: PrivateKey
    crl_der: bytes

    def validation_context(self, extra_roots: list[x509.Certificate] = (), **kw) -> ValidationContext:
        roots = [to_asn1(c) for c in (self.root, *extra_roots)]
        return ValidationContext(trust_roots=roots, crls=[self.crl_der], allow_fetching=False, **kw)


class SealEngine:
    """Seals PDFs with one seal. Build once, call `seal()` for every document."""

    def __init__(self, key: PrivateKey, cert: x509.Certificate, chain: list[x509.Certificate], image_png: bytes,
                 trust: Trust, *, name: str = "Seal", tsa: TsaConfig | None = None, signer=None):
        self.cert = cert
        self.trust = trust
        self.external = tsa is not None
        if tsa is None:  # the platform TSA in process: tokens from a template after the first
            self.vc = trust.validation_context()
            self.timestamper = PlatformTimeStamper(trust.tsa_cert, trust.tsa_key, trust.root)
            first = aio.run(self.timestamper.async_timestamp(b"\0" * 32, "sha256"))
            tokens = fastcms.TokenFactory(first, trust.tsa_key)
        else:  # every token over HTTP from the configured service, checked before use
            self.vc = trust.validation_context(tsa.roots())
            self.timestamper = ExternalTimeStamper(tsa, self.vc)
            tokens = None
        self.signer = signer or TemplateSigner(key, cert, [*chain, trust.root], tokens)
        self.stamp = StaticStampStyle(background=CachedImage(image_png), border_width=0, background_opacity=1.0)
        self.name = name
        self.rsa = not isinstance(cert.public_key(), EllipticCurvePublicKey)
        self.dss_certs = [c.public_bytes(serialization.Encoding.DER) for c in (cert, *chain, trust.root, trust.tsa_cert)]

    def close(self) -> None:
        """Release what the engine holds outside the process (a PKCS#11 session); a no-op otherwise."""
        close = getattr(self.signer, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "SealEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _add_dss(self, w: IncrementalPdfFileWriter) -> bool:
        """B-LT's validation data (certificates and the CA's CRL) in a /DSS written with the signature's own
        revision: the same for every document, so it costs two small streams instead of a validation run."""
        if "/DSS" in w.root:
            return False  # a document that already has one (a second seal): let pyHanko merge into it
        stream = lambda data: w.add_object(generic.StreamObject(stream_data=data))  # noqa: E731
        dss = generic.DictionaryObject({
            pdf_name("/Certs"): generic.ArrayObject([stream(c) for c in self.dss_certs]),
            pdf_name("/CRLs"): generic.ArrayObject([stream(self.trust.crl_der)]),
        })
        w.root[pdf_name("/DSS")] = w.add_object(dss)
        w.update_root()
        return True

    def seal(self, pdf: bytes, *, level: str = "B-LT", slot: int = 0, field_name: str | None = None,
             reason: str = "", location: str = "") -> bytes:
        """The PDF with one more signature (an incremental update: earlier signatures stay valid)."""
        if level not in LEVELS:
            raise ValueError(level)
        field_name = field_name or f"{self.name}-{slot}"
        w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        # an external TSA's certificates are only known from its token: pyHanko gathers them (and the
        # platform's) into the /DSS after signing; the in-process TSA's are known, so we write them at once
        pyhanko_dss = level == "B-LT" and (self.external or not self._add_dss(w))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None, location=location or None,
            embed_validation_info=pyhanko_dss, validation_context=self.vc if pyhanko_dss else None,
        )
        pdf_signer = signers.PdfSigner(
            meta, signer=self.signer, timestamper=self.timestamper if level != "B-B" else None,
            stamp_style=self.stamp,
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=0, box=stamp_box(slot)),
        )
        out = io.BytesIO()
        reserve = (5120 if not self.rsa else 6144) + ((12288 if self.external else 6144) if level != "B-B" else 0)
        aio.call(pdf_signer.sign_pdf, w, output=out, bytes_reserved=reserve)
        return out.getvalue()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


_quick_contexts: dict[str, ValidationContext] = {}


def quick_verify(pdf: bytes, root_pem: str) -> bool:
    """pyHanko's validator on every signature: intact, valid, trusted (to `root_pem`), nothing but allowed
    updates after it. For tests and the benchmark; the public report is onestop.seals.verify."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    vc = _quick_contexts.get(root_pem)
    if vc is None:
        root = x509.load_pem_x509_certificate(root_pem.encode())
        vc = _quick_contexts[root_pem] = ValidationContext(
            trust_roots=[to_asn1(root)], allow_fetching=False, revocation_mode="soft-fail")
    sigs = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    if not sigs:
        return False
    for sig in sigs:
        status = validate_pdf_signature(sig, signer_validation_context=vc)
        if not (status.intact and status.valid and status.trusted and status.docmdp_ok is not False):
            return False
    return True
