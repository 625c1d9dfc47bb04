"""The platform CA row, its CRL, and the per-process cache of unlocked government seals (`SealEngine`).

An applicant organisation's seal (KeyProtection.PASSPHRASE) is never cached: its engine is built from the
passphrase for one sealing and dropped.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading

from cryptography.hazmat.primitives import serialization
from django.db import IntegrityError, transaction
from django.utils import timezone

from onestop.seals import hsm, pki, tsa
from onestop.seals.models import Authority, KeyProtection, Seal
from onestop.seals.signing import SealEngine, Trust

AUTHORITY_NAME = "OneStop 项目落地一件事服务平台"
_lock = threading.Lock()
_trust: dict[tuple, Trust] = {}
_engines: dict[tuple, SealEngine] = {}


def authority() -> Authority:
    """The platform CA, created on first use (root + TSA certificate, keys locked with the platform key)."""
    found = Authority.objects.filter(pk=1).first()
    if found:
        return found
    new = pki.make_authority(AUTHORITY_NAME)
    secret = pki.platform_secret()
    try:
        with transaction.atomic():
            made = Authority.objects.create(
                pk=1, name=AUTHORITY_NAME, root_cert_pem=pki.pem(new.root_cert),
                root_key_enc=pki.lock(pki.key_der(new.root_key), secret, passphrase=False), tsa_cert_pem=pki.pem(new.tsa_cert),
                tsa_key_enc=pki.lock(pki.key_der(new.tsa_key), secret, passphrase=False),
            )
            refresh_crl(made)
            return made
    except IntegrityError:  # another process made it first
        return Authority.objects.get(pk=1)


def root_key(auth: Authority) -> pki.PrivateKey:
    return _cached(("root", auth.pk, bytes(auth.root_key_enc)[:32]),
                   lambda: pki.unlock(auth.root_key_enc, pki.platform_secret()))


def _cached(key: tuple, make):
    with _lock:
        if key in _engines:
            return _engines[key]
    value = make()
    with _lock:
        _engines[key] = value
    return value


def refresh_crl(auth: Authority | None = None) -> Authority:
    """Re-sign the CRL with every revoked seal (called on revocation and when it nears its next update)."""
    with transaction.atomic():
        auth = Authority.objects.select_for_update().get(pk=(auth or authority()).pk)
        revoked = [(int(s, 16), at) for s, at in
                   Seal.objects.filter(revoked_at__isnull=False).values_list("serial_hex", "revoked_at")]
        number = auth.crl_number + 1
        crl = pki.make_crl(pki.load_cert(auth.root_cert_pem), root_key(auth), revoked, number)
        auth.crl_number, auth.crl_der = number, crl.public_bytes(serialization.Encoding.DER)
        auth.crl_next_update = crl.next_update_utc
        auth.save(update_fields=["crl_number", "crl_der", "crl_next_update"])
    return auth


def current_crl() -> bytes:
    auth = authority()
    if auth.crl_next_update is None or auth.crl_next_update < timezone.now() + dt.timedelta(days=2):
        auth = refresh_crl(auth)
    return bytes(auth.crl_der)


def trust() -> Trust:
    auth = authority()
    crl = current_crl()
    key = (auth.pk, auth.root_cert_pem[-80:], hash(crl))
    with _lock:
        if key in _trust:
            return _trust[key]
    made = Trust(pki.load_cert(auth.root_cert_pem), pki.load_cert(auth.tsa_cert_pem),
                 pki.unlock(auth.tsa_key_enc, pki.platform_secret()), crl)
    with _lock:
        _trust.clear()
        _trust[key] = made
        for old in [k for k in _engines if k[0] == "seal"]:  # engines hold the old CRL
            del _engines[old]
    return made


def engine(seal: Seal, passphrase: str | None = None) -> SealEngine:
    """A SealEngine for `seal`, time-stamping with the configured external TSA if any (onestop.seals.tsa).
    Raises pki.WrongSecret when the passphrase (or a token's PIN) does not open the key."""
    tr = trust()
    config = tsa.configured()
    if seal.protection == KeyProtection.PASSPHRASE:
        key = pki.unlock(seal.key_enc, (passphrase or "").encode())
        return _build(seal, key, tr, config)
    if seal.protection == KeyProtection.PKCS11:
        return _build(seal, None, tr, config, signer=hsm.signer(seal, passphrase))
    cache_key = ("seal", seal.pk, seal.serial_hex, hashlib.sha256(bytes(seal.image_png)).digest(), id(tr),
                 config.key() if config else None)
    return _cached(cache_key, lambda: _build(seal, pki.unlock(seal.key_enc, pki.platform_secret()), tr, config))


def _build(seal: Seal, key: pki.PrivateKey | None, tr: Trust, config: tsa.TsaConfig | None, signer=None) -> SealEngine:
    chain = [pki.load_cert(p) for p in _split_pem(seal.chain_pem)]
    return SealEngine(key, pki.load_cert(seal.certificate_pem), chain, bytes(seal.image_png), tr,
                      name=f"Seal{seal.pk}", tsa=config, signer=signer)


def _split_pem(text: str) -> list[str]:
    end = "-----END CERTIFICATE-----"
    return [part.strip() + "\n" + end + "\n" for part in text.split(end) if part.strip()]
