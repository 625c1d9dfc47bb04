"""Sealed documents of an application, from the seals app (`onestop.seals.actions.issue_document`):
the acceptance notice (受理通知书, or 容缺受理通知书 when materials are owed) and, at one-window issue, each
department's decision (准予许可决定书 / 不予许可决定书), all under the window's seal. Optional: without a
seal the actions record the results only."""
from __future__ import annotations

from typing import Any


def _recipient(app: Any) -> str:
    if app.applicant_id:
        return app.applicant.name
    return str(app.form_data.get("applicant_name") or app.form_data.get("enterprise_name") or "申请人")


def seal_acceptance(actor: Any, app: Any, seal_id: int, *, owed: list[str], deadline: str = "") -> str:
    """The acceptance notice, sealed; returns its document number."""
    from onestop.seals.actions import issue_document

    kind = "tolerance" if owed else "acceptance"
    data = {"recipient": _recipient(app), "matter": app.title, "application_no": app.number,
            "applied_on": f"{app.submitted_at:%Y-%m-%d}", "promised_days": app.limit_days,
            "window": app.handled_at.name if app.handled_at_id else "", "materials": owed, "deadline": deadline}
    return issue_document(actor, seal_id=seal_id, kind=kind, data=data).number


def seal_results(actor: Any, app: Any, results: list[dict], seal_id: int) -> None:
    """One sealed decision per department's result; its number is added to the result."""
    from onestop.seals.actions import issue_document

    for r in results:
        kind = "approval" if r["result"] == "approved" else "refusal"
        data = {"recipient": _recipient(app), "matter": r["matter"], "application_no": app.number,
                "content": r["opinion"], "reasons": r["opinion"]}
        r["document"] = issue_document(actor, seal_id=seal_id, kind=kind, data=data).number
