"""The liaison group (联络群): members post and read, outsiders get 404, attachments are checked,
mentions notify, receipts record who read what; a refused message writes nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.audit.models import Event
from onestop.lights.models import Notification
from onestop.stewards.models import Message, Receipt

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% test\n"


def url(project, tail="messages"):
    return f"/api/stewards/projects/{project.pk}/{tail}"


def counts():
    return Message.objects.count(), Notification.objects.count(), Event.objects.count()


def test_the_enterprise_posts_with_a_mention_and_the_steward_is_notified_and_reads_it(w, as_):
    project, steward, user = w.projects[0], w.stewards[0], w.users[0]
    r = as_(user).post(url(project), {"body": f"@{steward.username} 请问进度？",
                                      "attachment": SimpleUploadedFile("图纸.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["mentions"] == [{"id": steward.pk, "name": str(steward)}]
    assert body["attachment"] == "图纸.pdf" and body["attachment_size"] == len(PDF)
    note = Notification.objects.get(recipient=steward, kind="mention")
    assert note.kind == "mention" and note.read_at is None
    listed = as_(steward).get(url(project)).json()
    assert [m["body"] for m in listed] == [f"@{steward.username} 请问进度？"]
    assert listed[0]["read_by"] == [{"id": steward.pk, "name": str(steward)}]
    note.refresh_from_db()
    assert note.read_at is not None
    got = as_(steward).get(f"/api/stewards/messages/{body['id']}/attachment")
    assert got.status_code == 200 and got.content == PDF and got["Content-Type"] == "application/pdf"


def test_only_new_messages_are_listed_after_an_id(w, as_):
    project = w.projects[0]
    first = as_(w.users[0]).post(url(project), {"body": "一"}).json()["id"]
    as_(w.stewards[0]).post(url(project), {"body": "二"})
    assert [m["body"] for m in as_(w.users[0]).get(url(project) + f"?after={first}").json()] == ["二"]


@pytest.mark.parametrize("who", ["outsider", "other_steward", "other_enterprise", "outsider_supervisor"])
def test_someone_outside_the_project_gets_404_and_nothing_is_written(w, as_, who):
    account = {"outsider": w.outsider, "other_steward": w.stewards[1], "other_enterprise": w.users[1],
               "outsider_supervisor": w.outsider_supervisor}[who]
    before = counts()
    r = as_(account).post(url(w.projects[0]), {"body": "你好"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert as_(account).get(url(w.projects[0])).status_code == 404
    assert counts() == before


def test_a_mention_of_someone_outside_the_project_notifies_nobody(w, as_):
    r = as_(w.users[0]).post(url(w.projects[0]), {"body": f"@{w.stewards[1].username} 看看"})
    assert r.status_code == 201 and r.json()["mentions"] == []
    assert not Notification.objects.filter(kind="mention").exists()


@pytest.mark.parametrize("name,data,code", [
    ("tool.exe", b"MZ\x90\x00", "type_not_allowed"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "type_not_allowed"),
    ("big.pdf", b"%PDF-" + b"0" * 2048, "too_large"),
    ("empty.txt", b"", "invalid"),
])
def test_a_disallowed_or_oversized_attachment_is_refused_naming_the_field(w, as_, settings, name, data, code):
    settings.STEWARD_ATTACHMENT_MAX_BYTES = 1024
    before = counts()
    r = as_(w.users[0]).post(url(w.projects[0]), {"body": "附件", "attachment": SimpleUploadedFile(name, data)})
    assert r.status_code == 400, r.content
    assert r.json()["error"] == code and "attachment" in r.json()["fields"]
    assert counts() == before


def test_an_empty_message_is_refused(w, as_):
    r = as_(w.users[0]).post(url(w.projects[0]), {"body": "  "})
    assert r.status_code == 400 and "body" in r.json()["fields"]
    assert not Message.objects.exists()


def test_a_helper_steward_joins_the_group_and_leaves_it_when_removed(w, as_):
    project, helper = w.projects[0], w.stewards[1]
    assert as_(w.supervisor).post(url(project, "helpers"), {"steward_id": helper.pk},
                                  content_type="application/json").status_code == 201
    assert as_(helper).post(url(project), {"body": "我来协办"}).status_code == 201
    assert as_(w.supervisor).delete(url(project, f"helpers/{helper.pk}")).status_code == 200
    assert as_(helper).get(url(project)).status_code == 404


def test_the_department_of_the_area_is_in_the_group(w, as_):
    assert as_(w.approver).post(url(w.projects[0]), {"body": "规划意见已出"}).status_code == 201
    assert Receipt.objects.count() == 0


def test_an_outsiders_bad_attachment_is_still_a_404(w, as_):
    r = as_(w.outsider).post(url(w.projects[0]), {"body": "x", "attachment": SimpleUploadedFile("a.exe", b"MZ")})
    assert r.status_code == 404
