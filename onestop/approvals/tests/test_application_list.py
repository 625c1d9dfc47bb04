"""The applications list and the department queue, on their pages and in the API: a page at a time with
the total; the list found by words and state, each department's progress read for the whole page at once,
a department with two matters named by matter."""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onestop.approvals import actions
from onestop.approvals.builders import matter, required_ids
from onestop.approvals.models import AppState, Application
from onestop.approvals.views import PER_PAGE
from onestop.catalog.models import Stage


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def accepted(w, n: int, stage: int = 0) -> list[Application]:
    """n applications of a stage, accepted, so each has its departments' tasks."""
    out = []
    for _ in range(n):
        app = actions.submit_application(w.clerk, stage_id=w.stages[stage].pk, project_id=w.project.pk)
        out.append(actions.accept_application(w.clerk, app.pk, provided=required_ids(app)))
    return out


def statements(c: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        page = c.get(url)
    assert page.status_code == 200
    return len(seen), page.content.decode()


def test_the_list_page_reads_as_many_statements_for_many_applications_as_for_one(w):
    clerk = client_for(w.clerk)
    accepted(w, 1)
    one, _ = statements(clerk, "/approvals/")
    accepted(w, 5)
    six, page = statements(clerk, "/approvals/")
    assert six == one
    assert page.count("环评审批部门：") == 6  # every row still shows each department's progress


def test_the_list_page_pages_through_every_application_with_the_total_keeping_the_filters(w):
    permits = [actions.submit_application(w.clerk, matter_id=w.matters["施工许可"].pk, project_id=w.project.pk)
               for _ in range(PER_PAGE + 1)]
    newest = accepted(w, 1)[0]
    clerk = client_for(w.clerk)
    first = clerk.get("/approvals/").content.decode()
    assert f'data-testid="application-count">{PER_PAGE + 2}<' in first
    assert newest.number in first and permits[0].number not in first  # newest first
    assert "第1页，共2页" in first and 'href="?&page=2"' in first
    second = clerk.get("/approvals/?page=2").content.decode()
    assert permits[0].number in second and newest.number not in second
    found = clerk.get("/approvals/", {"q": "施工许可"}).content.decode()
    assert f'data-testid="application-count">{PER_PAGE + 1}<' in found and newest.number not in found
    assert 'href="?q=%E6%96%BD%E5%B7%A5%E8%AE%B8%E5%8F%AF&page=2"' in found


def test_the_list_page_finds_by_words_number_and_state(w):
    in_review = accepted(w, 1)[0]
    waiting = actions.submit_application(w.clerk, matter_id=w.matters["施工许可"].pk, project_id=w.project.pk)
    clerk = client_for(w.clerk)
    by_state = clerk.get("/approvals/?state=in_review").content.decode()
    assert in_review.number in by_state and waiting.number not in by_state
    assert '<option value="in_review" selected>' in by_state
    by_number = clerk.get(f"/approvals/?q={waiting.number}").content.decode()
    assert waiting.number in by_number and in_review.number not in by_number
    by_words = clerk.get("/approvals/", {"q": f"{w.project.name} {w.investor.name}"}).content.decode()
    assert waiting.number in by_words and in_review.number in by_words
    none = clerk.get("/approvals/?q=没有这个词").content.decode()
    assert "没有符合条件的办件。" in none and 'data-testid="application-count">0<' in none
    assert "共" not in none.split('data-testid="applications"')[1]  # no pager for nothing


def test_a_department_with_two_matters_of_one_application_is_named_with_each_matter(w):
    dept = w.departments["施工许可"]
    second = matter(dept, "施工图审查备案", 3, 5, "WM900")
    stage = Stage.objects.create(bundle=w.bundle, position=9, name="同一部门两项", promised_limit=3)
    stage.matters.add(w.matters["施工许可"], second)
    app = actions.submit_application(w.clerk, stage_id=stage.pk, project_id=w.project.pk)
    actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    page = client_for(w.clerk).get("/approvals/").content.decode()
    assert "施工许可部门 · 施工许可：" in page and "施工许可部门 · 施工图审查备案：" in page


def test_the_api_list_returns_the_page_asked_for_with_the_total_count(w):
    apps = accepted(w, 3)
    api = client_for(w.clerk)
    with CaptureQueriesContext(connection) as seen:
        body = api.get("/api/approvals/applications?limit=2").json()
    assert body["count"] == 3 and [a["number"] for a in body["items"]] == [a.number for a in apps[::-1][:2]]
    assert len(seen) <= 5  # session, account, count, the page: not a statement per application
    rest = api.get("/api/approvals/applications?limit=2&offset=2").json()
    assert [a["number"] for a in rest["items"]] == [apps[0].number]


def test_the_api_list_finds_by_words_and_refuses_an_unknown_state_naming_it(w):
    app = accepted(w, 1)[0]
    other = actions.submit_application(w.clerk, matter_id=w.matters["施工许可"].pk, project_id=w.project.pk)
    api = client_for(w.clerk)
    found = api.get(f"/api/approvals/applications?q={other.number}").json()
    assert [a["number"] for a in found["items"]] == [other.number]
    by_state = api.get(f"/api/approvals/applications?state={AppState.IN_REVIEW}").json()
    assert [a["number"] for a in by_state["items"]] == [app.number]
    refused = api.get("/api/approvals/applications?state=nonsense")
    assert refused.status_code == 400 and "state" in refused.json()["fields"]


def test_the_department_queue_api_reads_its_page_in_a_fixed_number_of_statements(w):
    accepted(w, 1)
    approver = client_for(w.approvers["环评审批"])
    with CaptureQueriesContext(connection) as one:
        assert approver.get("/api/approvals/queue").json()["count"] == 1
    accepted(w, 4)
    with CaptureQueriesContext(connection) as five:
        body = approver.get("/api/approvals/queue").json()
    assert body["count"] == 5 and {t["department"] for t in body["items"]} == {"环评审批部门"}
    assert len(five) == len(one)


def test_the_queue_page_shows_how_many_wait_and_pages_through_them(w):
    for _ in range(PER_PAGE + 1):
        app = actions.submit_application(w.clerk, matter_id=w.matters["施工许可"].pk, project_id=w.project.pk)
        actions.accept_application(w.clerk, app.pk, provided=required_ids(app))
    approver = client_for(w.approvers["施工许可"])
    first = approver.get("/approvals/queue/").content.decode()
    assert f'data-testid="queue-count">{PER_PAGE + 1}<' in first and "第1页，共2页" in first
    assert first.count('data-testid="open-task"') == PER_PAGE
    second = approver.get("/approvals/queue/?page=2").content.decode()
    assert second.count('data-testid="open-task"') == 1


def test_the_apply_page_offers_every_active_matter_under_its_department(w):
    page = client_for(w.enterprise_user).get("/approvals/apply/").content.decode()
    offered = page.split('name="matter"')[1].split("</select>")[0]
    assert offered.count("<option value=") - 1 == len(w.matters)  # the first is the empty choice
    permit = offered.split(f'<optgroup label="{w.departments["施工许可"].name}">')[1].split("</optgroup>")[0]
    assert f'<option value="{w.matters["施工许可"].pk}">' in permit


def test_the_api_refuses_a_page_bigger_than_500_naming_the_limit(w):
    api = client_for(w.clerk)
    assert api.get("/api/approvals/applications?limit=500").status_code == 200
    refused = api.get("/api/approvals/applications?limit=501")
    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["limit"]


def test_a_closed_applications_light_says_how_it_finished_and_an_open_ones_how_it_stands(w):
    done, running = accepted(w, 2)
    for task in done.tasks.all():
        actions.approve_task(w.approver_of(task), task.pk, opinion="同意")
    actions.issue_results(w.clerk, done.pk)
    clerk = client_for(w.clerk)
    rows = clerk.get("/approvals/").content.decode().split("<tbody>")[1].split("</tr>")
    row_of = {app.number: next(r for r in rows if app.number in r) for app in (done, running)}
    assert "按时办结" in row_of[done.number] and "绿灯正常" not in row_of[done.number]
    assert "绿灯正常" in row_of[running.number] and "按时办结" not in row_of[running.number]
    page = clerk.get(f"/approvals/{done.pk}/").content.decode()
    assert page.count("按时办结") == 1 + done.tasks.count()  # the application's own light and each department's
