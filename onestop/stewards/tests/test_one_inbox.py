"""The stewards' notices are the platform's one inbox (lights): an @mention or an assignment (and a late
milestone's red notice, from the light sweep: test_late_milestone_sweep) lands in `/lights/inbox`, counts
in the page header, shows on the steward's desk, is e-mailed like every notice, and read in one place is
read everywhere."""
import pytest
from django.core import mail

from onestop.lights.models import Notification
from onestop.lights.queries import unread_count
from onestop.stewards import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mail.outbox = []
    return mail.outbox


def test_a_mention_is_in_the_lights_inbox_with_its_project_and_link_and_is_e_mailed(w, as_, mailed,
                                                                                   django_capture_on_commit_callbacks):
    steward, project = w.stewards[0], w.projects[0]
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_message(w.users[0], project.pk, f"@{steward.username} 请看图纸")
    listed = as_(steward).get("/api/lights/notifications").json()["items"]
    mention = [n for n in listed if n["kind"] == "mention"]
    assert len(mention) == 1
    assert mention[0]["project_id"] == project.pk and mention[0]["link"] == f"/stewards/projects/{project.pk}/#group"
    assert [m.to for m in mailed if "联络群中提到了您" in m.subject] == [[steward.email]]
    assert 'data-unread="' in as_(steward).get("/").content.decode()


def test_reading_a_notice_on_the_desk_reads_it_in_the_inbox_and_both_apis(w, as_):
    steward, project = w.stewards[0], w.projects[0]
    actions.post_message(w.users[0], project.pk, f"@{steward.username} 在吗")
    note = Notification.objects.get(recipient=steward, kind="mention")
    c = as_(steward)
    assert "联络群中提到了您" in c.get("/stewards/").content.decode()
    before = unread_count(steward)

    r = c.post(f"/lights/inbox/{note.pk}/read")  # the desk's form posts to the inbox's one action
    assert r.status_code == 302 and r["Location"] == f"/stewards/projects/{project.pk}/#group"
    assert unread_count(steward) == before - 1
    assert "联络群中提到了您" not in c.get("/stewards/").content.decode()
    assert c.get("/api/lights/notifications?unread=true").json()["items"] == [
        n for n in c.get("/api/lights/notifications?unread=true").json()["items"] if n["id"] != note.pk]
    old_api = {n["id"]: n for n in c.get("/api/stewards/notifications").json()}
    assert old_api[note.pk]["read_at"] is not None and old_api[note.pk]["text"] == note.title


def test_opening_the_liaison_group_reads_its_mentions_in_the_inbox(w, as_):
    steward, project = w.stewards[0], w.projects[0]
    actions.post_message(w.users[0], project.pk, f"@{steward.username} 新图纸")
    note = Notification.objects.get(recipient=steward, kind="mention")
    as_(steward).get(f"/stewards/projects/{project.pk}/")
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_old_stewards_read_endpoint_marks_the_inbox_notice_read_and_hides_others_notices(w, as_):
    steward = w.stewards[0]
    actions.post_message(w.users[0], w.projects[0].pk, f"@{steward.username} 你好")
    note = Notification.objects.get(recipient=steward, kind="mention")
    assert as_(w.stewards[1]).post(f"/api/stewards/notifications/{note.pk}/read").status_code == 404
    r = as_(steward).post(f"/api/stewards/notifications/{note.pk}/read")
    assert r.status_code == 200 and r.json()["read_at"] is not None
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_assignment_notice_leads_to_the_project_workspace(w):
    actions.add_helper(w.admin, w.projects[0].pk, w.stewards[1].pk)
    assigned = Notification.objects.get(recipient=w.stewards[1], kind="assigned", project=w.projects[0])
    assert assigned.project == w.projects[0] and assigned.link == f"/stewards/projects/{w.projects[0].pk}/"
