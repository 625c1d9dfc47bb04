"""The seals API (/api/seals): verification and lookup are public; everything else needs a session."""
from __future__ import annotations

from typing import Any, Literal, Optional

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from onestop import throttle
from onestop.errors import field_error
from onestop.org.schemas import ErrorOut
from onestop.seals import actions, batch, queries, verify

router = Router(tags=["seals"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Level = Literal["B-B", "B-T", "B-LT"]


def _read(upload: UploadedFile, limit: int = verify.MAX_UPLOAD) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise field_error("file", f"文件过大（上限{limit // 1024 // 1024}MB）。",
                          f"The file is too large (limit {limit // 1024 // 1024} MB).", code="too_large")
    return upload.read()


class SignatureOut(Schema):
    intact: bool
    trusted: bool
    signer: Optional[str]
    seal: Optional[str]
    sealed_at: Optional[str]
    revoked: bool
    timestamped: bool
    problems: list[str]


class VerifyOut(Schema):
    valid: bool
    document_number: Optional[str]
    signatures: list[SignatureOut]
    problems: list[str]


@router.post("/verify", response={200: VerifyOut, 400: ErrorOut}, auth=None)
def verify_file(request: HttpRequest, file: UploadedFile = File(...)) -> dict[str, Any]:
    """验章: upload a PDF (multipart `file`); no login. `valid` only when every signature is intact and
    trusted, nothing was changed after the last one and no seal was revoked before it sealed."""
    throttle.count(request, "verify")
    return verify.verify_pdf(_read(file))


@router.get("/documents/lookup", response={200: dict, 404: ErrorOut}, auth=None)
def lookup(request: HttpRequest, number: str) -> dict[str, Any]:
    """What was issued under a document number (public; the recipient's name is masked)."""
    return queries.lookup(number)


class SealIn(Schema):
    kind: str
    department: Optional[int] = None
    service_centre: Optional[int] = None
    organisation: Optional[int] = None
    algorithm: str = "ec_p256"
    passphrase: Optional[str] = None


@router.get("/seals", response=list[dict])
def list_seals(request: HttpRequest) -> list[dict[str, Any]]:
    """Seals the caller manages or may use."""
    return [queries.seal_out(s) for s in queries.visible_seals(request.auth)]


@router.post("/seals", response={201: dict, **ERRORS})
def create_seal(request: HttpRequest, payload: SealIn):
    """刻制电子印章 (administrators; an applicant organisation for itself, with a passphrase)."""
    return 201, queries.seal_out(actions.create_seal(request.auth, **payload.dict()))


@router.post("/seals/import", response={201: dict, **ERRORS})
def import_seal(request: HttpRequest, kind: Form[str], password: Form[str], file: UploadedFile = File(...),
                department: Form[Optional[int]] = None, service_centre: Form[Optional[int]] = None,
                organisation: Form[Optional[int]] = None, passphrase: Form[Optional[str]] = None):
    """导入 PKCS#12 证书 as a seal (multipart)."""
    seal = actions.import_pkcs12(request.auth, kind=kind, data=_read(file, 1024 * 1024), password=password,
                                 department=department, service_centre=service_centre, organisation=organisation,
                                 passphrase=passphrase)
    return 201, queries.seal_out(seal)


class Pkcs11SealIn(Schema):
    kind: str
    module: str
    token_label: str
    key_label: str
    pin: str
    pin_env: str = ""
    certificate: Optional[str] = None
    department: Optional[int] = None
    service_centre: Optional[int] = None
    organisation: Optional[int] = None


@router.post("/seals/pkcs11", response={201: dict, **ERRORS})
def register_pkcs11(request: HttpRequest, payload: Pkcs11SealIn):
    """登记硬件令牌印章 (PKCS#11): the key stays on the token. The PIN proves the key works and is not kept;
    `pin_env` names the SEALS_PIN_... variable holding it for unattended sealing. Without `certificate`
    (PEM), the platform CA certifies the token's public key."""
    data = payload.dict()
    cert = data.pop("certificate")
    seal = actions.register_pkcs11(request.auth, certificate=cert.encode() if cert else None, **data)
    return 201, queries.seal_out(seal)


@router.post("/seals/{seal_id}/image", response={200: dict, **ERRORS})
def replace_image(request: HttpRequest, seal_id: int, file: UploadedFile = File(None)):
    """Replace the seal's drawn image by an uploaded one (multipart `file`; none: draw it again)."""
    data = _read(file, 2 * 1024 * 1024) if file is not None else None
    return queries.seal_out(actions.replace_image(request.auth, seal_id, data))


class ReasonIn(Schema):
    reason: str


@router.post("/seals/{seal_id}/revoke", response={200: dict, **ERRORS})
def revoke_seal(request: HttpRequest, seal_id: int, payload: ReasonIn):
    """吊销印章."""
    return queries.seal_out(actions.revoke_seal(request.auth, seal_id, payload.reason))


class AccountIn(Schema):
    account: int


@router.post("/seals/{seal_id}/users", response={201: dict, **ERRORS})
def grant_use(request: HttpRequest, seal_id: int, payload: AccountIn):
    """授权用印."""
    actions.grant_use(request.auth, seal_id, payload.account)
    return 201, queries.seal_out(actions.seal_for(request.auth, seal_id))


@router.delete("/seals/{seal_id}/users/{account_id}", response={204: None, **ERRORS})
def withdraw_use(request: HttpRequest, seal_id: int, account_id: int):
    """撤销用印授权."""
    actions.withdraw_use(request.auth, seal_id, account_id)
    return 204, None


@router.get("/seals/{seal_id}/uses", response={200: list[dict], **ERRORS})
def list_uses(request: HttpRequest, seal_id: int, limit: int = 100, offset: int = 0):
    """用印记录 (the seal's managers); CSV export at /seals/<id>/uses.csv."""
    rows = queries.uses(request.auth, seal_id)[offset: offset + min(limit, 1000)]
    return [queries.use_out(u) for u in rows]


class DocumentIn(Schema):
    seal: int
    kind: str
    data: dict
    passphrase: Optional[str] = None
    pin: Optional[str] = None
    level: Level = "B-LT"


def _doc(doc) -> dict[str, Any]:
    return {"id": doc.pk, "number": doc.number, "kind": doc.kind, "title": doc.title, "sha256": doc.sha256,
            "issued_at": doc.issued_at, "seals": list(doc.seals.values_list("pk", flat=True)),
            "file": f"/seals/documents/{doc.pk}.pdf"}


@router.post("/documents", response={201: dict, **ERRORS})
def issue_document(request: HttpRequest, payload: DocumentIn):
    """出具并签章一份文书 (needs a grant on the seal; an applicant's seal needs its passphrase)."""
    doc = actions.issue_document(request.auth, seal_id=payload.seal, kind=payload.kind, data=payload.data,
                                 passphrase=payload.passphrase, pin=payload.pin, level=payload.level)
    return 201, _doc(doc)


class CountersignIn(Schema):
    seal: int
    passphrase: Optional[str] = None
    pin: Optional[str] = None


@router.post("/documents/{document_id}/seals", response={200: dict, **ERRORS})
def countersign(request: HttpRequest, document_id: int, payload: CountersignIn):
    """在已签发文书上加盖另一枚印章 (earlier signatures stay valid)."""
    return _doc(actions.countersign(request.auth, document_id=document_id, seal_id=payload.seal,
                                    passphrase=payload.passphrase, pin=payload.pin))


@router.post("/batches", response={201: dict, **ERRORS})
def start_batch(request: HttpRequest, seal: Form[int], level: Form[Level] = "B-LT", file: UploadedFile = File(...)):
    """批量签章: a spreadsheet of appointment letters (multipart `file`); every row validated first."""
    b = batch.start_batch(request.auth, seal_id=seal, sheet=_read(file), level=level)
    return 201, batch.progress(b)


class DocumentsBatchIn(Schema):
    seal: int
    documents: list[int | str]
    level: Level = "B-LT"


@router.post("/batches/documents", response={201: dict, **ERRORS})
def start_documents_batch(request: HttpRequest, payload: DocumentsBatchIn):
    """批量加盖印章: pick issued documents (ids or numbers) and add this seal to each, in the background;
    every earlier signature stays valid. Every pick is checked first; one bad pick starts nothing."""
    b = batch.start_documents_batch(request.auth, seal_id=payload.seal, documents=payload.documents,
                                    level=payload.level)
    return 201, batch.progress(b)


@router.get("/batches/{batch_id}", response={200: dict, **ERRORS})
def batch_progress(request: HttpRequest, batch_id: int):
    """Progress: done / total, documents per second, seconds left."""
    return batch.progress(batch.batch_for(request.auth, batch_id))


@router.get("/batches/{batch_id}/failures", response={200: list[dict], **ERRORS})
def batch_failures(request: HttpRequest, batch_id: int):
    """The rows that could not be sealed, with why."""
    return batch.failures(batch.batch_for(request.auth, batch_id).pk)
