from onestop.audit.actions import make_checkpoint
from onestop.periodic import every


@every(60)
def checkpoint_audit_trail() -> None:
    """At least once a minute while anything was written (DESIGN.md, "The audit trail")."""
    make_checkpoint()
