"""Seals whose private key lives on a hardware token (PKCS#11), through pyHanko's `pyhanko.sign.pkcs11`.

The key never leaves the token and the platform stores no secret for it: the seal row keeps the module
path, the token label and the key label. The PIN is given at the moment of sealing or, for a government
seal that must seal unattended (batches), read from an environment variable whose NAME the seal records
(`SEALS_PIN_...`): never stored in the database, never logged.

Only modules listed in `SEALS_PKCS11_MODULES` (os.pathsep-separated; default: SoftHSM2's) may be named:
loading a PKCS#11 module runs its code inside the platform, so an administrator cannot point the platform
at an arbitrary shared library through the API.
"""
from __future__ import annotations

import os
import re
import threading
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings

from onestop.errors import field_error
from onestop.seals import aio

DEFAULT_MODULES = ("/usr/lib/softhsm/libsofthsm2.so",)
PIN_ENV = re.compile(r"^SEALS_PIN_[A-Z0-9_]{1,48}$")
# python-pkcs11 initialises a module once per process; pyHanko's p11_lib caches it, but opening sessions
# from several threads while the first load runs is not safe
_load_lock = threading.Lock()


def allowed_modules() -> list[str]:
    value = getattr(settings, "SEALS_PKCS11_MODULES", "") or os.environ.get("SEALS_PKCS11_MODULES", "")
    return [p for p in value.split(os.pathsep) if p] if value else list(DEFAULT_MODULES)


def check_module(path: str) -> str:
    if path not in allowed_modules():
        raise field_error("module", "该PKCS#11模块未被平台允许（SEALS_PKCS11_MODULES）。",
                          "This PKCS#11 module is not allowed on this platform (SEALS_PKCS11_MODULES).")
    if not os.path.exists(path):
        raise field_error("module", "PKCS#11模块文件不存在。", "The PKCS#11 module file does not exist.")
    return path


def check_pin_env(name: str, *, applicant: bool) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if applicant:  # an applicant's seal is opened only by its holder: the platform must not hold its PIN
        raise field_error("pin_env", "申请单位的印章须由持有人在用印时输入PIN。",
                          "An applicant organisation's token PIN is given by its holder at each sealing.")
    if not PIN_ENV.match(name):
        raise field_error("pin_env", "PIN环境变量名须形如 SEALS_PIN_XXX。", "The PIN variable must be named SEALS_PIN_...")
    return name


def resolve_pin(pin: str | None, pin_env: str) -> str:
    """The PIN given now, else the one in the seal's environment variable; 400 naming `pin` otherwise."""
    if pin:
        return pin
    if pin_env and os.environ.get(pin_env):
        return os.environ[pin_env]
    raise field_error("pin", "请输入令牌PIN。", "Give the token's PIN.", code="pin_required")


def open_session(module: str, token_label: str, pin: str):
    """An open, logged-in session; errors name the field at fault (module, token_label, pin)."""
    import pkcs11.exceptions as p11e
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    check_module(module)
    try:
        with _load_lock:
            return open_pkcs11_session(module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange) as exc:
        raise field_error("pin", "令牌PIN错误。", "Wrong PIN for this token.", code="wrong_pin") from exc
    except p11e.PinLocked as exc:
        raise field_error("pin", "令牌PIN已被锁定。", "The token's PIN is locked.", code="pin_locked") from exc
    except (p11e.NoSuchToken, p11e.TokenNotPresent, p11e.TokenNotRecognised) as exc:
        raise field_error("token_label", "找不到该标签的令牌。", "No token with this label.") from exc
    except Exception as exc:  # pyHanko's "no token matching", a module that does not load
        if "token" in str(exc).lower():
            raise field_error("token_label", "找不到该标签的令牌。", "No token with this label.") from exc
        raise field_error("module", "PKCS#11模块无法使用。", f"The PKCS#11 module cannot be used: {exc}") from exc


def public_key(session, key_label: str):
    """The `cryptography` public key of the token's key pair labelled `key_label`."""
    import pkcs11
    import pkcs11.exceptions as p11e
    from pkcs11.util.ec import encode_ec_public_key
    from pkcs11.util.rsa import encode_rsa_public_key

    try:
        pub = session.get_key(object_class=pkcs11.ObjectClass.PUBLIC_KEY, label=key_label)
    except (p11e.NoSuchKey, p11e.MultipleObjectsReturned) as exc:
        raise field_error("key_label", "令牌上找不到唯一的该标签公钥。",
                          "No single public key with this label on the token.") from exc
    if pub.key_type == pkcs11.KeyType.EC:
        return serialization.load_der_public_key(encode_ec_public_key(pub))
    if pub.key_type == pkcs11.KeyType.RSA:
        from asn1crypto import keys

        rsa_pub = keys.RSAPublicKey.load(encode_rsa_public_key(pub))
        return rsa.RSAPublicNumbers(rsa_pub["public_exponent"].native, rsa_pub["modulus"].native).public_key()
    raise field_error("key_label", "仅支持EC与RSA密钥。", "Only EC and RSA keys are supported.")


def _signer_class():
    from pyhanko.sign.pkcs11 import PKCS11Signer

    class TokenSigner(PKCS11Signer):
        """pyHanko's PKCS11Signer owning its session: `close()` logs out once the sealing is done."""

        def close(self) -> None:
            try:
                self.pkcs11_session.close()
            except Exception:  # already closed, or the token was pulled: nothing left to release
                pass

    return TokenSigner


def make_signer(session, key_label: str, cert: x509.Certificate, chain: list[x509.Certificate]):
    from onestop.seals.signing import to_asn1

    # ECDSA: hash here and let the token sign the digest (CKM_ECDSA). Many tokens, SoftHSM2 among them,
    # have no hash-then-sign ECDSA mechanism, and the result is the same signature.
    raw = isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    return _signer_class()(session, key_label=key_label, signing_cert=to_asn1(cert),
                           ca_chain=[to_asn1(c) for c in chain], use_raw_mechanism=raw)


def prove_possession(session, key_label: str, cert: x509.Certificate) -> None:
    """Sign a challenge on the token and check it with the certificate: the key and certificate belong together."""
    signer = make_signer(session, key_label, cert, [])
    challenge = os.urandom(32)
    try:
        signature = aio.run(signer.async_sign_raw(challenge, "sha256"))
    except Exception as exc:
        raise field_error("key_label", "令牌上找不到可签名的该标签私钥。",
                          "No private key with this label on the token can sign.") from exc
    key = cert.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, challenge, ec.ECDSA(hashes.SHA256()))
        else:
            key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
    except Exception as exc:
        raise field_error("certificate", "证书与令牌上的密钥不匹配。",
                          "The certificate does not belong to the token's key.") from exc


def signer(seal: Any, pin: str | None):
    """A TokenSigner for a PKCS#11 seal (the caller closes it, via SealEngine.close())."""
    from onestop.seals import pki
    from onestop.seals.keystore import _split_pem, authority

    session = open_session(seal.pkcs11_module, seal.pkcs11_token, resolve_pin(pin, seal.pkcs11_pin_env))
    chain = [pki.load_cert(p) for p in _split_pem(seal.chain_pem)] + [pki.load_cert(authority().root_cert_pem)]
    return make_signer(session, seal.pkcs11_key, pki.load_cert(seal.certificate_pem), chain)

