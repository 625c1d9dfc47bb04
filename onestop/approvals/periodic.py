"""Periodic jobs of the approvals app (run by `onestop worker`)."""
from onestop.periodic import every


@every(300)
def commitments_due() -> int:
    """容缺 / 告知承诺: raise the alert on applications with a material owed past its deadline (once each)."""
    from onestop.approvals.followups import sweep_commitments

    return sweep_commitments()
