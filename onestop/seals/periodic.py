"""Periodic jobs of the seals app, run by every `onestop worker`."""
from onestop.periodic import every
from onestop.seals import batch, keystore


@every(5)
def resume_stale_batches() -> None:
    """A batch whose runner stopped beating (a killed worker) is enqueued again, once."""
    batch.resume_stale()


@every(3600)
def refresh_revocation_list() -> None:
    """Keep the published CRL from going stale."""
    from onestop.seals.models import Authority

    if Authority.objects.exists():
        keystore.current_crl()
