"""Writes of the seals app: making, importing and revoking seals, who may use them; issuing sealed documents
(`issuing`, re-exported here).

Each action checks permission (403) and state (409), runs in one transaction and writes an audit event.
Seals are managed by administrators; an applicant organisation manages its own seals, whose key only its
holder's passphrase opens. A seal on a hardware token (PKCS#11) is opened by its PIN, given at sealing or
held in a SEALS_PIN_... environment variable for a government seal. Using a seal needs a grant (用印授权).
"""
from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from onestop.audit.actions import record, snapshot
from onestop.enterprises.models import Enterprise
from onestop.errors import Conflict, Forbidden, InvalidInput, field_error
from onestop.org.models import Account, Department, ServiceCentre
from onestop.seals import hsm, keystore, pki, stamp
from onestop.seals.access import may_manage, may_use, require_usable, seal_for  # noqa: F401 (the app's one write side)
from onestop.seals.issuing import (  # noqa: F401 (issuing sealed documents, importable from here too)
    KIND_PREFIX, TimestampServiceDown, countersign, countersigned_path, document_path, issue_document, next_number,
    open_engine, produce, seal_pdf, seals_dir, store, validate_data, write_atomically,
)
from onestop.seals.models import SEAL_KIND_ZH, KeyAlgorithm, KeyProtection, Seal, SealKind, SealUser

SEAL_FIELDS = ["id", "owner_name", "kind", "algorithm", "protection", "serial_hex", "revoked_at", "revocation_reason",
               "pkcs11_module", "pkcs11_token", "pkcs11_key", "pkcs11_pin_env"]
MIN_PASSPHRASE = 8


# --- seals ------------------------------------------------------------------------------------------------


def _owner(department: int | None, service_centre: int | None, organisation: int | None) -> dict[str, Any]:
    given = {k: v for k, v in (("department", department), ("service_centre", service_centre),
                                 ("organisation", organisation)) if v is not None}
    if len(given) != 1:
        raise InvalidInput("请指定唯一的印章所属单位。", "Give exactly one owner: department, service_centre or organisation.",
                           fields={"owner": "exactly one of department, service_centre, organisation"})
    (field, pk), = given.items()
    model = {"department": Department, "service_centre": ServiceCentre, "organisation": Enterprise}[field]
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise field_error(field, "所属单位不存在。", f"No such {field}.")
    return {field: obj}


def _protection(owner: dict[str, Any], passphrase: str | None) -> tuple[str, bytes]:
    if "organisation" in owner:
        if not passphrase or len(passphrase) < MIN_PASSPHRASE:
            raise field_error("passphrase", f"申请单位印章须设置至少{MIN_PASSPHRASE}位的口令。",
                              f"An applicant organisation's seal needs a passphrase of at least {MIN_PASSPHRASE} characters.")
        return KeyProtection.PASSPHRASE, passphrase.encode()
    return KeyProtection.PLATFORM, pki.platform_secret()


def _image(owner_name: str, kind: str, image: bytes | None) -> tuple[bytes, bool]:
    if not image:
        return stamp.draw_seal(owner_name, SEAL_KIND_ZH[kind]), False
    try:
        return stamp.load_uploaded(image), True
    except Exception as exc:
        raise field_error("image", "印章图片无法识别。", "The seal image is not a readable image.") from exc


def create_seal(actor: Account | None, *, kind: str, department: int | None = None, service_centre: int | None = None,
                organisation: int | None = None, algorithm: str = KeyAlgorithm.EC_P256, passphrase: str | None = None,
                image: bytes | None = None) -> Seal:
    """刻制电子印章: a new key pair and a certificate from the platform CA."""
    if kind not in SealKind.values:
        raise field_error("kind", "印章类型无效。", "Unknown seal kind.")
    if algorithm not in KeyAlgorithm.values:
        raise field_error("algorithm", "算法无效。", "Unknown algorithm.")
    owner = _owner(department, service_centre, organisation)
    if not may_manage(actor, getattr(owner.get("organisation"), "pk", None)):
        raise Forbidden()
    protection, secret = _protection(owner, passphrase)
    owner_name = next(iter(owner.values())).name
    image_png, uploaded = _image(owner_name, kind, image)
    auth = keystore.authority()
    key = pki.new_key(algorithm)
    cert = pki.issue(pki.load_cert(auth.root_cert_pem), keystore.root_key(auth), key.public_key(),
                     pki.seal_subject(owner_name, SEAL_KIND_ZH[kind]), days=365 * 5)
    with transaction.atomic():
        seal = Seal.objects.create(
            **owner, owner_name=owner_name, kind=kind, algorithm=algorithm, protection=protection,
            image_png=image_png, image_uploaded=uploaded, certificate_pem=pki.pem(cert),
            key_enc=pki.lock(pki.key_der(key), secret, passphrase=protection == KeyProtection.PASSPHRASE),
            serial_hex=format(cert.serial_number, "x"),
            not_after=cert.not_valid_after_utc,
        )
        record(seal, "seal.created", actor, after=snapshot(seal, SEAL_FIELDS))
    return seal


def import_pkcs12(actor: Account | None, *, kind: str, data: bytes, password: str, department: int | None = None,
                  service_centre: int | None = None, organisation: int | None = None,
                  passphrase: str | None = None, image: bytes | None = None) -> Seal:
    """导入数字证书 (PKCS#12). A certificate not issued by the platform CA verifies as untrusted."""
    if kind not in SealKind.values:
        raise field_error("kind", "印章类型无效。", "Unknown seal kind.")
    owner = _owner(department, service_centre, organisation)
    if not may_manage(actor, getattr(owner.get("organisation"), "pk", None)):
        raise Forbidden()
    try:
        key, cert, extra = pki.load_pkcs12(data, password)
    except (ValueError, TypeError) as exc:
        raise field_error("password", "证书口令错误或文件已损坏。", "Wrong PKCS#12 password or a broken file.") from exc
    if cert.not_valid_after_utc <= timezone.now():
        raise field_error("file", "证书已过期。", "The certificate has expired.")
    protection, secret = _protection(owner, passphrase)
    owner_name = next(iter(owner.values())).name
    image_png, uploaded = _image(owner_name, kind, image)
    algorithm = KeyAlgorithm.RSA_2048 if hasattr(key, "key_size") and not hasattr(key, "curve") else KeyAlgorithm.EC_P256
    with transaction.atomic():
        seal = Seal.objects.create(
            **owner, owner_name=owner_name, kind=kind, algorithm=algorithm, protection=protection,
            image_png=image_png, image_uploaded=uploaded, certificate_pem=pki.pem(cert),
            chain_pem="".join(pki.pem(c) for c in extra),
            key_enc=pki.lock(pki.key_der(key), secret, passphrase=protection == KeyProtection.PASSPHRASE),
            serial_hex=format(cert.serial_number, "x"), not_after=cert.not_valid_after_utc,
        )
        record(seal, "seal.imported", actor, after=snapshot(seal, SEAL_FIELDS))
    return seal


def register_pkcs11(actor: Account | None, *, kind: str, module: str, token_label: str, key_label: str, pin: str,
                    pin_env: str = "", certificate: bytes | None = None, department: int | None = None,
                    service_centre: int | None = None, organisation: int | None = None,
                    image: bytes | None = None) -> Seal:
    """登记硬件令牌印章 (PKCS#11): the key stays on the token; the platform keeps no secret for it.

    With no `certificate` (PEM or DER), the platform CA issues one for the token's public key. Either way
    a challenge is signed on the token and checked with the certificate, so a seal is never registered
    with a key it cannot use. The PIN is used for that check and forgotten; `pin_env` names the environment
    variable that holds it for unattended sealing (government seals only)."""
    if kind not in SealKind.values:
        raise field_error("kind", "印章类型无效。", "Unknown seal kind.")
    owner = _owner(department, service_centre, organisation)
    if not may_manage(actor, getattr(owner.get("organisation"), "pk", None)):
        raise Forbidden()
    for field, value in (("token_label", token_label), ("key_label", key_label)):
        if not (value or "").strip() or len(value) > 64:
            raise field_error(field, "请填写标签（64字以内）。", "Give a label of at most 64 characters.")
    hsm.check_module(module)
    pin_env = hsm.check_pin_env(pin_env, applicant="organisation" in owner)
    if not pin:
        raise field_error("pin", "请输入令牌PIN。", "Give the token's PIN.", code="pin_required")
    owner_name = next(iter(owner.values())).name
    image_png, uploaded = _image(owner_name, kind, image)
    session = hsm.open_session(module, token_label, pin)
    try:
        public = hsm.public_key(session, key_label)
        cert = _token_certificate(certificate, public, owner_name, kind)
        hsm.prove_possession(session, key_label, cert)
    finally:
        session.close()
    algorithm = KeyAlgorithm.EC_P256 if hasattr(public, "curve") else KeyAlgorithm.RSA_2048
    with transaction.atomic():
        seal = Seal.objects.create(
            **owner, owner_name=owner_name, kind=kind, algorithm=algorithm, protection=KeyProtection.PKCS11,
            image_png=image_png, image_uploaded=uploaded, certificate_pem=pki.pem(cert), key_enc=b"",
            pkcs11_module=module, pkcs11_token=token_label, pkcs11_key=key_label, pkcs11_pin_env=pin_env,
            serial_hex=format(cert.serial_number, "x"), not_after=cert.not_valid_after_utc,
        )
        record(seal, "seal.pkcs11_registered", actor, after=snapshot(seal, SEAL_FIELDS))
    return seal


def _token_certificate(data: bytes | None, public, owner_name: str, kind: str):
    """The given certificate (its key must be the token's), or one the platform CA issues for the token's key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    if not data:
        auth = keystore.authority()
        return pki.issue(pki.load_cert(auth.root_cert_pem), keystore.root_key(auth), public,
                         pki.seal_subject(owner_name, SEAL_KIND_ZH[kind]), days=365 * 5)
    try:
        cert = (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data))
    except ValueError as exc:
        raise field_error("certificate", "证书无法解析。", "The certificate cannot be read.") from exc
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if cert.public_key().public_bytes(*spki) != public.public_bytes(*spki):
        raise field_error("certificate", "证书与令牌上的密钥不匹配。", "The certificate does not belong to the token's key.")
    if cert.not_valid_after_utc <= timezone.now():
        raise field_error("certificate", "证书已过期。", "The certificate has expired.")
    return cert


def revoke_seal(actor: Account | None, seal_id: int, reason: str) -> Seal:
    """吊销印章: the seal can no longer be used and the CRL lists its certificate from now on."""
    if not reason.strip():
        raise field_error("reason", "请填写吊销原因。", "Give a reason.")
    with transaction.atomic():
        seal = seal_for(actor, seal_id, for_update=True)
        if not may_manage(actor, seal.organisation_id):
            raise Forbidden()
        if seal.revoked_at is not None:
            raise Conflict("该印章已被吊销。", "This seal is already revoked.", state="revoked")
        before = snapshot(seal, SEAL_FIELDS)
        seal.revoked_at, seal.revocation_reason = timezone.now(), reason.strip()
        seal.save(update_fields=["revoked_at", "revocation_reason"])
        record(seal, "seal.revoked", actor, before=before, after=snapshot(seal, SEAL_FIELDS), reason=reason)
        keystore.refresh_crl()
    return seal


def replace_image(actor: Account | None, seal_id: int, image: bytes | None) -> Seal:
    """Replace the drawn seal image by an uploaded one (or draw it again when `image` is empty)."""
    with transaction.atomic():
        seal = seal_for(actor, seal_id, for_update=True)
        if not may_manage(actor, seal.organisation_id):
            raise Forbidden()
        before = {"sha256": hashlib.sha256(bytes(seal.image_png)).hexdigest(), "uploaded": seal.image_uploaded}
        seal.image_png, seal.image_uploaded = _image(seal.owner_name, seal.kind, image)
        seal.save(update_fields=["image_png", "image_uploaded"])
        record(seal, "seal.image_replaced", actor, before=before,
               after={"sha256": hashlib.sha256(seal.image_png).hexdigest(), "uploaded": seal.image_uploaded})
    return seal


def grant_use(actor: Account | None, seal_id: int, account_id: int) -> SealUser:
    """授权用印."""
    with transaction.atomic():
        seal = seal_for(actor, seal_id, for_update=True)
        if not may_manage(actor, seal.organisation_id):
            raise Forbidden()
        account = Account.objects.filter(pk=account_id, is_active=True).first()
        if account is None:
            raise field_error("account", "账号不存在。", "No such account.")
        grant, created = SealUser.objects.get_or_create(seal=seal, account=account, defaults={"granted_by": actor})
        if created:
            record(seal, "seal.use_granted", actor, after={"account": account.pk})
    return grant


def withdraw_use(actor: Account | None, seal_id: int, account_id: int) -> None:
    """撤销用印授权."""
    with transaction.atomic():
        seal = seal_for(actor, seal_id, for_update=True)
        if not may_manage(actor, seal.organisation_id):
            raise Forbidden()
        if SealUser.objects.filter(seal=seal, account_id=account_id).delete()[0]:
            record(seal, "seal.use_withdrawn", actor, before={"account": account_id})
