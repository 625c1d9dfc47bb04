"""Time-stamps (RFC 3161): an external time-stamp service when one is configured, and the platform's own
service over HTTP so that another installation can use it.

Client: `SEALS_TSA_URL` (setting or environment) makes every sealing, batches included, fetch its
signature time-stamp from that URL with pyHanko's `HTTPTimeStamper` (aiohttp), optionally with HTTP basic
auth (`SEALS_TSA_USER`, `SEALS_TSA_PASSWORD`). Each token is checked with pyHanko's validator (intact,
valid, its TSA certificate chaining to the platform root or to a root listed in the PEM file
`SEALS_TSA_ROOTS`, and its imprint matching what we asked for) before it goes into a document: a service
that is down, refuses, or answers garbage raises `TimestampUnavailable`, and nothing is sealed.

Server: `respond(body)` answers a DER `TimeStampReq` with a DER `TimeStampResp` signed by the platform TSA
key (pyHanko's `DummyTimeStamper` machinery via `PlatformTimeStamper`, asn1crypto's `tsp` structures);
a malformed or unsupported request gets a `rejection` with the RFC 3161 failure bit, never a 500.
Served at POST /seals/tsa (onestop.seals.views.tsa), open unless `SEALS_TSA_SERVE_USER` and
`SEALS_TSA_SERVE_PASSWORD` are set, in which case it asks for those basic-auth credentials.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from asn1crypto import cms, core, tsp
from cryptography import x509
from django.conf import settings
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

from onestop.seals import aio

MAX_REQUEST = 16 * 1024
POLICY = "1.3.6.1.4.1.4146.2.2"  # the policy PlatformTimeStamper (pyHanko's DummyTimeStamper) stamps with
DIGESTS = {"sha256": 32, "sha384": 48, "sha512": 64}


class TimestampUnavailable(Exception):
    """The external time-stamp service could not give a usable token (down, refused, or garbage)."""

    def __init__(self, url: str, detail: str):
        super().__init__(f"{url}: {detail}")
        self.url, self.detail = url, detail

    def __reduce__(self):  # picklable, so a batch's child process can send it back to the runner
        return (TimestampUnavailable, (self.url, self.detail))


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or "").strip()


@dataclass(frozen=True)
class TsaConfig:
    url: str
    user: str = ""
    password: str = field(default="", repr=False)
    roots_file: str = ""
    timeout: float = 10.0

    def key(self) -> tuple:
        """What identifies the configuration in a cache key (the password only as a digest)."""
        return (self.url, self.user, hashlib.sha256(self.password.encode()).hexdigest(), self.roots_file)

    def roots(self) -> list[x509.Certificate]:
        """Extra trust roots for the external TSA's certificate (a PEM file of one or more certificates)."""
        if not self.roots_file:
            return []
        return x509.load_pem_x509_certificates(Path(self.roots_file).read_bytes())


def configured() -> TsaConfig | None:
    """The external time-stamp service of this installation, or None for the platform's own (in process)."""
    url = _setting("SEALS_TSA_URL")
    if not url:
        return None
    timeout = _setting("SEALS_TSA_TIMEOUT")
    return TsaConfig(url=url, user=_setting("SEALS_TSA_USER"), password=_setting("SEALS_TSA_PASSWORD"),
                     roots_file=_setting("SEALS_TSA_ROOTS"), timeout=float(timeout) if timeout else 10.0)


class ExternalTimeStamper(HTTPTimeStamper):
    """pyHanko's HTTP time-stamp client, with every token checked before use and every failure one error."""

    def __init__(self, config: TsaConfig, validation_context):
        headers = {"Authorization": aiohttp.encode_basic_auth(config.user, config.password)} if config.user else None
        super().__init__(config.url, timeout=config.timeout, headers=headers)
        self.vc = validation_context

    async def async_timestamp(self, message_digest, md_algorithm) -> cms.ContentInfo:
        from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

        try:
            token = await super().async_timestamp(message_digest, md_algorithm)
            status = await validate_tst_signed_data(
                token["content"], self.vc, lambda algo: message_digest if algo == md_algorithm else b"")
        except TimestampUnavailable:
            raise
        except Exception as exc:  # down, refused, not a TimeStampResp, a token that does not parse
            cause = exc.__cause__ or exc
            raise TimestampUnavailable(self.url, f"{type(exc).__name__}: {exc} ({cause!r})"[:300]) from exc
        if not (status["intact"] and status["valid"]):
            raise TimestampUnavailable(self.url, "the token's signature or imprint does not verify")
        if status["trust_problem_indic"] is not None:
            raise TimestampUnavailable(self.url, f"the TSA certificate is not trusted ({status['trust_problem_indic']})")
        return token


# --- the platform's own service, over HTTP ------------------------------------------------------------------


class TimeStampResp(core.Sequence):
    """RFC 3161's TimeStampResp with its token OPTIONAL, as the RFC has it (asn1crypto's `tsp.TimeStampResp`
    requires the token, so it can neither build nor read a rejection)."""

    _fields = [("status", tsp.PKIStatusInfo), ("time_stamp_token", cms.ContentInfo, {"optional": True})]


def _reject(fail: str, text: str) -> bytes:
    return TimeStampResp({"status": tsp.PKIStatusInfo({
        "status": "rejection", "status_string": [text], "fail_info": tsp.PKIFailureInfo({fail}),
    })}).dump()


def _problem(req: tsp.TimeStampReq) -> tuple[str, str] | None:
    """Why the request cannot be answered (failure bit, text), or None. Forces a full parse first."""
    req.native  # noqa: B018 - asn1crypto parses lazily; a malformed request fails here
    if req["version"].native != "v1":
        return "bad_request", "unsupported version"
    imprint = req["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if algorithm not in DIGESTS:
        return "bad_alg", f"unsupported hash algorithm {algorithm}"
    if len(imprint["hashed_message"].native) != DIGESTS[algorithm]:
        return "bad_data_format", "the imprint's length does not fit its algorithm"
    if req["req_policy"].native not in (None, POLICY):
        return "unaccepted_policy", f"only policy {POLICY}"
    if req["extensions"].native:
        return "unaccepted_extensions", "no extensions are supported"
    return None


def respond(body: bytes) -> bytes:
    """A DER TimeStampResp for a DER TimeStampReq (granted, or a rejection saying why)."""
    from onestop.seals import keystore
    from onestop.seals.signing import ServingTimeStamper

    if len(body) > MAX_REQUEST:
        return _reject("bad_request", "request too large")
    try:
        req = tsp.TimeStampReq.load(body)
        problem = _problem(req)
    except Exception:  # not DER, or not a TimeStampReq
        return _reject("bad_data_format", "not a DER-encoded TimeStampReq")
    if problem:
        return _reject(*problem)
    trust = keystore.trust()
    stamper = ServingTimeStamper(trust.tsa_cert, trust.tsa_key, trust.root, certs=bool(req["cert_req"].native))
    try:
        return stamper.request_tsa_response(req).dump()
    except Exception:
        return _reject("system_failure", "the time-stamp could not be made")


def fetch_token(config: TsaConfig, digest: bytes, vc) -> cms.ContentInfo:
    """One token for a SHA-256 digest (used by tests and by `onestop` checks of the configuration)."""
    return aio.run(ExternalTimeStamper(config, vc).async_timestamp(digest, "sha256"))
