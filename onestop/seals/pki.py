"""Keys and certificates (`cryptography`): the platform CA, seal certificates, the TSA, the CRL, key encryption.

Private keys are never stored in clear: `lock(der, secret)` is scrypt + AES-GCM. Government seals and the CA
are locked with a secret derived from settings.SEALS_KEY (else SECRET_KEY); an applicant organisation's
seal is locked with its holder's passphrase, which the platform never stores.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class WrongSecret(Exception):
    """The passphrase (or platform key) does not open this private key."""


def platform_secret() -> bytes:
    base = getattr(settings, "SEALS_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"onestop-seals-key-v1:" + base.encode()).digest()


def _derive(prefix: bytes, salt: bytes, secret: bytes) -> bytes:
    if prefix == b"k1":  # a platform key: already 256 random-looking bits, so HKDF is enough
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"onestop-seal-key").derive(secret)
    return Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(secret)  # a person's passphrase: stretch it


def lock(der: bytes, secret: bytes, *, passphrase: bool = True) -> bytes:
    """Encrypt a DER private key: tag(2) salt(16) nonce(12) AES-GCM(KDF(secret, salt)).

    A passphrase goes through scrypt; the platform key (`passphrase=False`) through HKDF."""
    prefix = b"v1" if passphrase else b"k1"
    salt, nonce = os.urandom(16), os.urandom(12)
    return prefix + salt + nonce + AESGCM(_derive(prefix, salt, secret)).encrypt(nonce, der, b"onestop-seal-key")


def unlock(blob: bytes, secret: bytes) -> PrivateKey:
    blob = bytes(blob)
    prefix, salt, nonce, body = blob[:2], blob[2:18], blob[18:30], blob[30:]
    try:
        der = AESGCM(_derive(prefix, salt, secret)).decrypt(nonce, body, b"onestop-seal-key")
    except InvalidTag as exc:
        raise WrongSecret from exc
    return serialization.load_der_private_key(der, password=None)


def key_der(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def new_key(algorithm: str) -> PrivateKey:
    if algorithm == "rsa_2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def load_cert(pem_text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem_text.encode())


def base_url() -> str:
    return getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def crl_url() -> str:
    return f"{base_url()}/seals/ca.crl"


def _fit(text: str, limit: int = 64) -> str:
    """X.509 limits CN and O to 64 (UTF-8 bytes, as `cryptography` counts them)."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _name(cn: str, org: str) -> x509.Name:
    cn, org = _fit(cn), _fit(org)
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass
class NewAuthority:
    root_cert: x509.Certificate
    root_key: PrivateKey
    tsa_cert: x509.Certificate
    tsa_key: PrivateKey


def make_authority(name: str) -> NewAuthority:
    """A self-signed root (EC P-256, 30 years) and a TSA certificate it issues (RSA, 15 years)."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"{name} Root CA", name)
    now = _now() - dt.timedelta(minutes=5)
    ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = issue(root, root_key, tsa_key.public_key(), _name(f"{name} TSA", name), days=365 * 15,
                eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    return NewAuthority(root, root_key, tsa, tsa_key)


def issue(
    ca_cert: x509.Certificate, ca_key: PrivateKey, public_key, subject: x509.Name, *, days: int,
    eku: list | None = None,
) -> x509.Certificate:
    """An end-entity certificate from the platform CA, with the CRL distribution point of the platform."""
    now = _now() - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url())], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
    return builder.sign(ca_key, hashes.SHA256())


def seal_subject(owner_name: str, kind_zh: str) -> x509.Name:
    return _name(f"{owner_name}{kind_zh}", owner_name)


def make_crl(
    ca_cert: x509.Certificate, ca_key: PrivateKey, revoked: list[tuple[int, dt.datetime]], number: int,
    *, valid_days: int = 7,
) -> x509.CertificateRevocationList:
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder().issuer_name(ca_cert.subject)
        .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=valid_days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    for serial, at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build())
    return builder.sign(ca_key, hashes.SHA256())


def load_pkcs12(data: bytes, password: str):
    """(key, cert, extra certs) of a PKCS#12 file; ValueError on a wrong password or a broken file."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    if key is None or cert is None:
        raise ValueError("PKCS#12 has no key or certificate")
    return key, cert, list(extra or [])
