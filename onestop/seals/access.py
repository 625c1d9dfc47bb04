"""Who may manage and who may use a seal (用印管理): administrators manage every seal, an applicant
organisation's own account manages its seals; using a seal needs a grant (用印授权) on a live seal."""
from __future__ import annotations

from django.utils import timezone

from onestop.errors import Conflict, Forbidden, NotFound
from onestop.org.access import is_admin, is_logged_in
from onestop.org.models import Account, Role
from onestop.seals.models import Seal, SealUser


def may_manage(actor: Account | None, organisation_id: int | None) -> bool:
    """Administrators manage every seal; an applicant organisation's own account manages its seals."""
    if is_admin(actor):
        return True
    return (is_logged_in(actor) and organisation_id is not None and actor.organisation_id == organisation_id
            and actor.role in (Role.ENTERPRISE, Role.EMPLOYER_UNIT))


def may_use(actor: Account | None, seal: Seal) -> bool:
    return is_logged_in(actor) and SealUser.objects.filter(seal=seal, account=actor).exists()


def seal_for(actor: Account | None, pk: int, *, for_update: bool = False) -> Seal:
    """A seal the caller sees (managers and granted users); 404 otherwise."""
    qs = Seal.objects.select_for_update() if for_update else Seal.objects
    seal = qs.filter(pk=pk).first()
    if seal is None or not (may_manage(actor, seal.organisation_id) or may_use(actor, seal)):
        raise NotFound("seal", "印章")
    return seal


def require_usable(actor: Account | None, seal: Seal) -> None:
    """403 without a grant; 409 for a revoked or expired seal."""
    if not may_use(actor, seal):
        raise Forbidden("您未被授权使用该印章。", "You are not allowed to use this seal.")
    if seal.revoked_at is not None:
        raise Conflict("该印章已被吊销，不能用印。", "This seal was revoked and cannot be used.", state="revoked")
    if seal.not_after <= timezone.now():
        raise Conflict("该印章证书已过期。", "This seal's certificate has expired.", state="expired")
