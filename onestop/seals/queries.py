"""Reads of the seals app: seals a caller sees, the use log (用印记录), the public lookup by document number."""
from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Q, QuerySet

from onestop.errors import Forbidden, NotFound
from onestop.org.access import is_admin, is_logged_in
from onestop.org.models import Account, Department, ServiceCentre
from onestop.seals.actions import may_manage, seal_for
from onestop.seals.models import IssuedDocument, Seal, SealUse


def visible_seals(actor: Account | None) -> QuerySet[Seal]:
    if is_admin(actor):
        return Seal.objects.all()
    if not is_logged_in(actor):
        return Seal.objects.none()
    own = Q(organisation_id=actor.organisation_id) if actor.organisation_id and actor.is_applicant else Q(pk__in=[])
    return Seal.objects.filter(own | Q(grants__account=actor)).distinct()


def usable_seals(actor: Account | None) -> QuerySet[Seal]:
    """Seals the caller holds a grant on and that are not revoked (what a sealing form offers)."""
    if not is_logged_in(actor):
        return Seal.objects.none()
    return Seal.objects.filter(grants__account=actor, revoked_at=None).distinct()


def managed_seals(actor: Account | None) -> QuerySet[Seal]:
    """印章管理: the seals the caller manages (administrators: every seal; an applicant organisation's own
    account: its organisation's), newest first, with who may use each."""
    if is_admin(actor):
        seals = Seal.objects.all()
    elif manages_own_seals(actor):
        seals = Seal.objects.filter(organisation_id=actor.organisation_id)
    else:
        return Seal.objects.none()
    return seals.order_by("-id").prefetch_related("grants__account")


def manages_own_seals(actor: Account | None) -> bool:
    """An applicant organisation's own account (not an administrator) that manages its organisation's seals."""
    return (not is_admin(actor) and is_logged_in(actor) and actor.organisation_id is not None
            and may_manage(actor, actor.organisation_id))


def may_manage_seals(actor: Account | None) -> bool:
    """Whether the caller manages any seal at all (the 印章管理 page and its link)."""
    return is_admin(actor) or manages_own_seals(actor)


def seal_owners(actor: Account | None) -> list[tuple[str, str]]:
    """Whom the caller may make a seal for, as ("department:12", name): an administrator any department or
    service centre (an organisation's seal is made by the organisation, or through the API); an
    organisation's account only its own organisation."""
    if manages_own_seals(actor):
        return [(f"organisation:{actor.organisation_id}", actor.organisation.name)]
    if not is_admin(actor):
        return []
    return ([(f"department:{pk}", name) for pk, name in Department.objects.order_by("name").values_list("pk", "name")]
            + [(f"service_centre:{pk}", name)
               for pk, name in ServiceCentre.objects.order_by("name").values_list("pk", "name")])


def active_account(username: str) -> Account | None:
    return Account.objects.filter(username=username.strip(), is_active=True).first() if username.strip() else None


def seal_out(seal: Seal) -> dict[str, Any]:
    return {
        "id": seal.pk, "name": str(seal), "owner_name": seal.owner_name, "kind": seal.kind, "kind_zh": seal.kind_zh,
        "algorithm": seal.algorithm, "protection": seal.protection, "serial": seal.serial_hex,
        "not_after": seal.not_after, "revoked_at": seal.revoked_at,
        "department": seal.department_id, "service_centre": seal.service_centre_id, "organisation": seal.organisation_id,
        "users": list(seal.grants.values_list("account_id", flat=True)),
        "pkcs11": {"module": seal.pkcs11_module, "token_label": seal.pkcs11_token, "key_label": seal.pkcs11_key,
                   "pin_env": seal.pkcs11_pin_env} if seal.protection == "pkcs11" else None,
    }


def uses(actor: Account | None, seal_id: int) -> QuerySet[SealUse]:
    """用印记录 of one seal: its managers see every use."""
    seal = seal_for(actor, seal_id)
    if not may_manage(actor, seal.organisation_id):
        raise Forbidden()
    return SealUse.objects.filter(seal=seal).select_related("account", "document", "batch")


def use_out(u: SealUse) -> dict[str, Any]:
    return {"id": u.pk, "at": u.at, "account": u.account_id, "account_name": str(u.account),
            "document": u.document.number, "document_id": u.document_id, "batch": u.batch_id, "sha256": u.sha256}


def uses_csv(rows: QuerySet[SealUse]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["时间 at", "用印人 account", "文书编号 document", "批次 batch", "sha256"])
    for u in rows.iterator():
        w.writerow([u.at.isoformat(), str(u.account), u.document.number, u.batch_id or "", u.sha256])
    return buf.getvalue()


def _mask(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def lookup(number: str) -> dict[str, Any]:
    """What was issued under a document number (public: the recipient's name is masked)."""
    doc = IssuedDocument.objects.filter(number=number.strip()).prefetch_related("seals").first()
    if doc is None:
        raise NotFound("document", "文书")
    return {
        "number": doc.number, "kind": doc.kind, "title": doc.title, "recipient": _mask(doc.recipient),
        "issued_at": doc.issued_at, "sha256": doc.sha256,
        "seals": [{"seal": str(s), "revoked_at": s.revoked_at} for s in doc.seals.all()],
    }


def document_for(actor: Account | None, pk: int) -> IssuedDocument:
    """An issued document for download: its issuer, an administrator, or a user of one of its seals."""
    doc = IssuedDocument.objects.filter(pk=pk).first()
    if doc is None or not is_logged_in(actor):
        raise NotFound("document", "文书")
    if not (is_admin(actor) or doc.issued_by_id == actor.pk or doc.seals.filter(grants__account=actor).exists()):
        raise NotFound("document", "文书")
    return doc
