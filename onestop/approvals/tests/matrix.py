"""Permission-matrix entries of the approvals API (collected by onestop/org/tests/test_permission_matrix.py).

`build` adds, in the shared world, two matters (one of w.department, one of a second department of the town)
and a two-matter stage, then, with approvals' own actions, applications of E's account for P (and for a
second project P2 of E, same steward and coach, for simulated approval) taken at w.centre in each state the
operations need: submitted, notified (一次性告知), in review with a material owed (容缺受理, tasks for both
departments), a task waiting for a supplement (补正), approved, rejected, simulated with the land now
certified. The `_q` twins are the same in 大场镇 (the outside enterprise's account, a centre, a clerk,
departments and an approver of their own): nobody of the world but the administrator sees them.

Who sees an application (DESIGN.md "Permissions", approvals/queries.py): the administrator; the clerks of
the centre it was taken at or handled by; the approver and head of a department with a task on it (so not
before acceptance); the steward and coach of its project; the supervisor of the area; the applicant.
Help agents, grid workers (only the applications they filed), the commissioner, the employer unit and the
resident do not: 404. Who acts, among those who see it (403 otherwise):
- intake (notice, accept), issue, hand-over, broken commitment: the handling window (and administrator);
- resubmit, reapply, supply an owed material or a supplement: the applicant or the window;
- claim, approve, reject, ask for a supplement: the task's department (approver and head, approvals'
  documented rule: DEPARTMENT_ROLES act on their department's tasks);
- formalize a simulated application: the window or the project's steward;
- coaching records: the project's coach or lead steward (those who see the project otherwise: 403).
Applying is for the applicants, the window and the help agent (grid workers hand over to the agent).
"""
from __future__ import annotations

from onestop.org.models import Role

BASE = "/api/approvals"
FORM = {"enterprise_name": "青岛海之晨工业装备有限公司", "credit_code": "91370211MA3XXXXX0X",
        "project_name": "青岛市氢能产业园", "contact_phone": "0532-86100000"}


def _required(app) -> list[int]:
    from onestop.approvals.builders import required_ids

    return required_ids(app)


def _states(w, key: str, *, applicant, clerk, approver, centre, project, project2, own_dept,
            other_dept) -> None:
    """The applications of one side (key "" inside, "_q" outside), stored on w as ap_<state><key>."""
    from datetime import date

    from onestop.approvals import actions
    from onestop.approvals.builders import matter
    from onestop.approvals.models import SubmittedMaterial
    from onestop.catalog.models import Bundle, Stage
    from onestop.enterprises.actions import record_land_certificate

    code = "AMXQ" if key else "AMX"
    own = matter(own_dept, "企业投资项目备案", 3, 5, f"{code}-001")
    other = matter(other_dept, "用地预审与选址", 5, 20, f"{code}-002")
    stage = Stage.objects.create(bundle=Bundle.objects.create(code=f"{code}B", name="项目落地一件事"), position=1,
                                 name="项目立项", promised_limit=5)
    stage.matters.add(own, other)
    setattr(w, f"ap_matter{key}", own)

    def submit(**kw):
        kw.setdefault("matter_id", own.pk)
        return actions.submit_application(applicant, project_id=(kw.pop("project", None) or project).pk,
                                          centre_id=centre.pk, form_data=FORM, **kw)

    def accepted(**kw):
        app = submit(**kw)
        return actions.accept_application(clerk, app.pk, provided=_required(app))

    def own_task(app):
        return app.tasks.get(department=own_dept)

    setattr(w, f"ap_submitted{key}", submit())
    setattr(w, f"ap_required{key}", _required(getattr(w, f"ap_submitted{key}")))
    notified = submit()
    actions.notify_missing(clerk, notified.pk, provided=[])
    setattr(w, f"ap_notified{key}", notified)

    review = submit(matter_id=None, stage_id=stage.pk)
    owed = SubmittedMaterial.objects.get(application=review, material__matter=own, material__may_defer=True)
    actions.accept_application(clerk, review.pk, provided=[m for m in _required(review) if m != owed.material_id],
                               deferred={owed.material_id: 10}, commitment="申请人承诺十个工作日内补交")
    setattr(w, f"ap_review{key}", review)
    setattr(w, f"ap_task{key}", own_task(review))
    setattr(w, f"ap_owed{key}", owed)

    supplement = own_task(accepted())
    actions.request_supplement(approver, supplement.pk, what="补充项目选址红线图", days=5)
    setattr(w, f"ap_supplement{key}", supplement)
    approved = accepted()
    actions.approve_task(approver, own_task(approved).pk, opinion="同意备案")
    setattr(w, f"ap_approved{key}", approved)
    rejected = accepted()
    actions.reject_task(approver, own_task(rejected).pk, reasons="不符合产业政策")
    setattr(w, f"ap_rejected{key}", rejected)

    simulated = accepted(project=project2, simulated=True)
    record_land_certificate(w.accounts[Role.ADMINISTRATOR], project2.pk, number=f"鲁(2026)不动产权第{code}号",
                            issued_on=date(2026, 9, 1))
    setattr(w, f"ap_simulated{key}", simulated)


def build(w) -> None:
    from onestop import testing
    from onestop.org.models import CentreLevel, PlaceKind

    town, grid, other = w.places["town"], w.places["grid"], w.places["other_town"]
    w.ap_district_centre = testing.service_centre(w.places["district"], name="西海岸新区行政服务中心（办件矩阵）",
                                                  level=CentreLevel.DISTRICT)
    project2 = testing.project(w.enterprise, grid, name="青岛市氢能产业园二期", lead_steward=w.accounts[Role.STEWARD],
                               coach=w.accounts[Role.COACH])
    _states(w, "", applicant=w.accounts[Role.ENTERPRISE], clerk=w.accounts[Role.WINDOW_CLERK],
            approver=w.accounts[Role.APPROVER], centre=w.centre, project=w.project, project2=project2,
            own_dept=w.department, other_dept=testing.department(town, name="泊里镇自然资源和规划所（办件矩阵）"))
    # the outside centre sits in a village of 大场镇, so no other matrix's lookup of "the nearest centre" finds it
    centre_q = testing.service_centre(testing.place(PlaceKind.VILLAGE, other, name="大场镇前河村"),
                                      name="大场镇前河村便民服务点（办件矩阵）", level=CentreLevel.VILLAGE)
    dept_q = testing.department(other, name="大场镇行政审批服务办公室（办件矩阵）")
    _states(w, "_q", applicant=testing.account(Role.ENTERPRISE, organisation=w.outside_enterprise),
            clerk=testing.account(Role.WINDOW_CLERK, service_centre=centre_q),
            approver=testing.account(Role.APPROVER, department=dept_q), centre=centre_q, project=w.outside_project,
            project2=testing.project(w.outside_enterprise, other, name="大场镇冷链仓储项目二期"),
            own_dept=dept_q, other_dept=testing.department(other, name="大场镇自然资源所（办件矩阵）"))


def entries(m) -> dict:
    # who sees an accepted application with a task of w.department; before acceptance no department does
    sees = {Role.ADMINISTRATOR, Role.WINDOW_CLERK, Role.APPROVER, Role.DEPARTMENT_HEAD, Role.STEWARD, Role.COACH,
            Role.SUPERVISOR, Role.ENTERPRISE}
    sees_intake = sees - {Role.APPROVER, Role.DEPARTMENT_HEAD}

    def read(seen) -> dict:
        return m.expect(404, **{r: 200 for r in seen})

    def acts(seen, *allowed: str, ok: int = 200) -> dict:
        return m.expect(404, **{**{r: 403 for r in seen}, **{r: ok for r in allowed}})

    def on(attr: str, path: str, suffix: str = "", body=None):
        """The request on w.<attr> and, outside, on w.<attr>_q; `body(w, key)` builds the body per side."""
        def make(key):
            return lambda w: (f"{BASE}/{path}/{getattr(w, attr + key).pk}{suffix}",
                              body(w, key) if callable(body) else body)
        return {"request": make(""), "outside": make("_q")}

    def required(w, key):
        return {"provided": getattr(w, f"ap_required{key}")}

    window = (Role.ADMINISTRATOR, Role.WINDOW_CLERK)
    applicant_or_window = (*window, Role.ENTERPRISE)
    department = (Role.ADMINISTRATOR, Role.APPROVER, Role.DEPARTMENT_HEAD)
    apps, tasks, materials = "applications", "tasks", "materials"
    coaching = {"guidance": "建议先完成用地预审再申报规划许可"}
    return {
        ("GET", f"{BASE}/applications"): m.Op(lambda w: (f"{BASE}/applications", None), m.LOGGED_IN),
        ("POST", f"{BASE}/applications"): m.Op(
            lambda w: (f"{BASE}/applications", {"matter_id": w.ap_matter.pk, "form_data": FORM}),
            m.expect(403, administrator=201, window_clerk=201, help_agent=201, enterprise=201, employer_unit=201,
                     resident=201), audited=True,
            note="grid workers hand a filing to the village agent (outreach.file_on_behalf): 403"),
        ("GET", f"{BASE}/applications/{{app_id}}"): m.Op(**on("ap_review", apps), expected=read(sees)),
        ("GET", f"{BASE}/applications/{{app_id}}/timeline"): m.Op(**on("ap_review", apps, "/timeline"),
                                                                 expected=read(sees)),
        ("POST", f"{BASE}/applications/{{app_id}}/notice"): m.Op(
            **on("ap_submitted", apps, "/notice", {"provided": [], "note": "请补齐全部材料"}),
            expected=acts(sees_intake, *window), audited=True),
        ("POST", f"{BASE}/applications/{{app_id}}/resubmit"): m.Op(
            **on("ap_notified", apps, "/resubmit", required), expected=acts(sees_intake, *applicant_or_window),
            audited=True),
        ("POST", f"{BASE}/applications/{{app_id}}/accept"): m.Op(
            **on("ap_submitted", apps, "/accept", required), expected=acts(sees_intake, *window), audited=True),
        ("POST", f"{BASE}/applications/{{app_id}}/issue"): m.Op(
            **on("ap_approved", apps, "/issue", {"method": "window"}), expected=acts(sees, *window), audited=True),
        ("POST", f"{BASE}/applications/{{app_id}}/handover"): m.Op(
            **on("ap_review", apps, "/handover", lambda w, key: {"to_centre_id": w.ap_district_centre.pk,
                                                                  "note": "跨域通办"}),
            expected=acts(sees, *window), audited=True),
        ("POST", f"{BASE}/applications/{{app_id}}/reapply"): m.Op(
            **on("ap_rejected", apps, "/reapply", {"form_data": {}, "provided": []}),
            expected=acts(sees, *applicant_or_window, ok=201), audited=True),
        ("POST", f"{BASE}/applications/{{app_id}}/formalize"): m.Op(
            **on("ap_simulated", apps, "/formalize"), expected=acts(sees, *window, Role.STEWARD), audited=True),
        ("POST", f"{BASE}/materials/{{row_id}}/supply"): m.Op(
            **on("ap_owed", materials, "/supply"), expected=acts(sees, *applicant_or_window), audited=True),
        ("POST", f"{BASE}/materials/{{row_id}}/broken"): m.Op(
            **on("ap_owed", materials, "/broken", {"reason": "逾期未补交"}), expected=acts(sees, *window),
            audited=True),
        ("GET", f"{BASE}/queue"): m.Op(lambda w: (f"{BASE}/queue", None), m.LOGGED_IN),
        ("GET", f"{BASE}/tasks/{{task_id}}"): m.Op(**on("ap_task", tasks), expected=read(sees)),
        ("POST", f"{BASE}/tasks/{{task_id}}/claim"): m.Op(**on("ap_task", tasks, "/claim"),
                                                          expected=acts(sees, *department), audited=True),
        ("POST", f"{BASE}/tasks/{{task_id}}/approve"): m.Op(
            **on("ap_task", tasks, "/approve", {"opinion": "同意"}), expected=acts(sees, *department), audited=True),
        ("POST", f"{BASE}/tasks/{{task_id}}/reject"): m.Op(
            **on("ap_task", tasks, "/reject", {"reasons": "选址不符合规划"}), expected=acts(sees, *department),
            audited=True),
        ("POST", f"{BASE}/tasks/{{task_id}}/supplement"): m.Op(
            **on("ap_task", tasks, "/supplement", {"what": "补充环评批复", "days": 5}),
            expected=acts(sees, *department), audited=True),
        ("POST", f"{BASE}/tasks/{{task_id}}/supply"): m.Op(
            **on("ap_supplement", tasks, "/supply", {"note": "已补充红线图"}),
            expected=acts(sees, *applicant_or_window), audited=True),
        ("POST", f"{BASE}/projects/{{project_id}}/coaching"): m.Op(
            lambda w: (f"{BASE}/projects/{w.project.pk}/coaching", coaching),
            m.expect(403, administrator=201, steward=201, coach=201, **m.NOT_SEEN_BY), audited=True,
            outside=lambda w: (f"{BASE}/projects/{w.outside_project.pk}/coaching", coaching)),
        ("GET", f"{BASE}/projects/{{project_id}}/coaching"): m.Op(
            lambda w: (f"{BASE}/projects/{w.project.pk}/coaching", None), m.expect(200, **m.NOT_SEEN_BY),
            outside=lambda w: (f"{BASE}/projects/{w.outside_project.pk}/coaching", None)),
    }
