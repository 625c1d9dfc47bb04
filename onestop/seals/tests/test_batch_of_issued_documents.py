"""A clerk picks issued documents (by id or number) and starts a batch that adds the bureau's seal to each:
documents an applicant already sealed keep both signatures valid; the same background runner resumes a
killed run and seals each document exactly once; the batch ends in a zip and a per-row report."""
import datetime as dt
import zipfile

import pytest
from django.utils import timezone

from onestop import testing
from onestop.errors import Conflict, InvalidInput
from onestop.seals import actions, batch, keystore, verify
from onestop.seals.models import Batch, BatchItem, IssuedDocument, SealUse
from onestop.seals.tests import softhsm
from onestop.seals.tests.conftest import pdfsig

PASS = "holder-secret-1"


@pytest.fixture
def applicant_docs(admin):
    """Three approval decisions an applicant organisation issued and sealed with its own (passphrase) seal."""
    org = testing.enterprise(name="海格尔科技(青岛)有限公司")
    holder = testing.account("enterprise", organisation=org)
    own = actions.create_seal(holder, kind="official", organisation=org.pk, passphrase=PASS)
    actions.grant_use(holder, own.pk, holder.pk)
    docs = [actions.issue_document(holder, seal_id=own.pk, kind="approval", passphrase=PASS, level="B-LT",
                                   data={"recipient": org.name, "matter": f"建设工程规划许可（{i}号楼）"})
            for i in range(1, 4)]
    return own, docs


def bytes_of(doc: IssuedDocument) -> bytes:
    doc.refresh_from_db()
    return (actions.seals_dir() / doc.path).read_bytes()


def test_the_bureau_seal_is_added_to_applicant_sealed_documents_and_both_stay_valid(
        clerk, seal, applicant_docs, nssdir, tmp_path):
    own, docs = applicant_docs
    picks = [docs[0].pk, docs[1].number, str(docs[2].pk)]  # by id, by number, by id as text
    b = batch.start_documents_batch(clerk, seal_id=seal.pk, documents=picks, level="B-LT")
    assert (b.source, b.total, b.kind) == ("documents", 3, "approval")
    assert batch.run_batch(b.pk) == "done"
    assert batch.run_batch(b.pk) == "busy"  # a finished batch never runs again
    b.refresh_from_db()
    assert (b.state, b.done, b.failed) == ("done", 3, 0)
    for doc in docs:
        report = verify.verify_pdf(bytes_of(doc))
        assert report["valid"], report
        assert [s["seal_id"] for s in report["signatures"]] == [own.pk, seal.pk]
        assert set(doc.seals.values_list("pk", flat=True)) == {own.pk, seal.pk}
        assert SealUse.objects.filter(document=doc, seal=seal, batch=b, account=clerk).count() == 1
        assert doc.batch_id is None  # still the document it was: issued outside any batch
    path = tmp_path / "both.pdf"
    path.write_bytes(bytes_of(docs[0]))
    out = pdfsig(path, nssdir)
    assert out.count("Signature is Valid.") == 2 and out.count("Certificate is Trusted.") == 2, out
    with zipfile.ZipFile(actions.seals_dir() / b.zip_path) as zf:
        pdfs = sorted(n for n in zf.namelist() if n.endswith(".pdf"))
        assert len(pdfs) == 3 and zf.read("failures.csv").decode().count("\n") == 1  # the header only
        assert verify.verify_pdf(zf.read(pdfs[0]))["valid"]


def test_every_bad_pick_is_named_and_nothing_is_started(clerk, seal, applicant_docs, admin):
    own, docs = applicant_docs
    sealed = actions.issue_document(clerk, seal_id=seal.pk, kind="approval",
                                    data={"recipient": "某公司", "matter": "某事项"}, level="B-B")
    with pytest.raises(InvalidInput) as caught:
        batch.start_documents_batch(clerk, seal_id=seal.pk,
                                    documents=[docs[0].pk, 999_999, "一件事〔1999〕准000001号", docs[0].number, sealed.pk])
    assert caught.value.fields == {"documents.2": "no such issued document", "documents.3": "no such issued document",
                                   "documents.4": "picked twice", "documents.5": "already bears this seal"}
    with pytest.raises(InvalidInput):
        batch.start_documents_batch(clerk, seal_id=seal.pk, documents=[])
    holder = _holder_with_grant(admin, own)
    with pytest.raises(Conflict):  # an applicant's passphrase seal is never used unattended
        batch.start_documents_batch(holder, seal_id=own.pk, documents=[sealed.pk])
    assert not Batch.objects.filter(source="documents").exists() and not BatchItem.objects.exists()


def _holder_with_grant(admin, own):
    user = testing.account("enterprise", organisation=own.organisation)
    actions.grant_use(admin, own.pk, user.pk)
    return user


def test_a_killed_runner_is_taken_over_and_each_document_gets_the_seal_exactly_once(clerk, seal, applicant_docs):
    own, docs = applicant_docs
    b = batch.start_documents_batch(clerk, seal_id=seal.pk, documents=[d.pk for d in docs], level="B-LT")
    dead = "dead-host:1:deadbeef"
    assert batch._take(b.pk, dead)
    items = batch._claim(b.pk, dead, 2)
    b = Batch.objects.select_related("seal", "created_by").get(pk=b.pk)
    with keystore.engine(seal) as engine:  # the dead runner wrote one sealed file, then died before recording it
        orphan = batch.countersign_item(engine, b, items[0], dead)
    assert (actions.seals_dir() / orphan[0]).exists()
    Batch.objects.filter(pk=b.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    assert batch.run_batch(b.pk) == "done"
    b.refresh_from_db()
    assert (b.done, b.failed, b.state) == (3, 0, "done")
    for doc in docs:
        assert verify.verify_pdf(bytes_of(doc))["valid"]
        assert SealUse.objects.filter(document=doc, seal=seal).count() == 1
        assert doc.seals.count() == 2
    assert docs[0].path != orphan[0]  # the orphan is referenced by nothing
    assert set(BatchItem.objects.filter(batch=b).values_list("state", flat=True)) == {"done"}


def test_the_api_starts_a_documents_batch_by_number(client, clerk, seal, applicant_docs):
    own, docs = applicant_docs
    client.force_login(clerk)
    response = client.post("/api/seals/batches/documents",
                           {"seal": seal.pk, "documents": [d.number for d in docs], "level": "B-B"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == 3 and body["source"] == "documents"
    assert batch.run_batch(body["id"]) == "done"
    bad = client.post("/api/seals/batches/documents", {"seal": seal.pk, "documents": [docs[0].number]},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["fields"] == {"documents.1": "already bears this seal"}


def test_a_token_seal_with_its_pin_in_the_environment_seals_a_documents_batch(
        admin, bureau, clerk, applicant_docs, monkeypatch):
    own, docs = applicant_docs
    token_seal = actions.register_pkcs11(admin, kind="official", department=bureau.pk, module=softhsm.MODULE,
                                         token_label=softhsm.token(), key_label=softhsm.new_ec_key(),
                                         pin=softhsm.PIN, pin_env="SEALS_PIN_TEST_BATCH")
    actions.grant_use(admin, token_seal.pk, clerk.pk)
    with pytest.raises(Conflict):  # no PIN in the environment: it cannot seal unattended
        batch.start_documents_batch(clerk, seal_id=token_seal.pk, documents=[docs[0].pk])
    monkeypatch.setenv("SEALS_PIN_TEST_BATCH", softhsm.PIN)
    b = batch.start_documents_batch(clerk, seal_id=token_seal.pk, documents=[d.pk for d in docs])
    assert batch.run_batch(b.pk) == "done"
    for doc in docs:
        report = verify.verify_pdf(bytes_of(doc))
        assert report["valid"] and [s["seal_id"] for s in report["signatures"]] == [own.pk, token_seal.pk], report


def test_the_batch_page_starts_either_kind_of_batch_and_names_a_bad_pick(client, clerk, seal, applicant_docs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onestop.seals.sheet import make_sheet, sample_rows

    own, docs = applicant_docs
    client.force_login(clerk)
    page = client.get("/seals/batches/new")
    assert page.status_code == 200 and str(seal) in page.content.decode() and str(own) not in page.content.decode()
    bad = client.post("/seals/batches/new", {"seal_id": seal.pk, "level": "B-B", "source": "documents",
                                             "documents": f"{docs[0].number}\n一件事〔1999〕准000001号"})
    assert bad.status_code == 400 and "documents.2" in bad.content.decode()
    assert not Batch.objects.exists()
    picked = client.post("/seals/batches/new", {"seal_id": seal.pk, "level": "B-B", "source": "documents",
                                                "documents": "\n".join(d.number for d in docs)})
    b = Batch.objects.get(source="documents")
    assert picked.status_code == 302 and picked["Location"] == f"/seals/batches/{b.pk}/" and b.total == 3
    sheet = client.post("/seals/batches/new", {"seal_id": seal.pk, "level": "B-B", "source": "sheet",
                                               "file": SimpleUploadedFile("letters.xlsx", make_sheet(sample_rows(2)))})
    assert sheet.status_code == 302 and Batch.objects.get(source="sheet").total == 2
    assert batch.run_batch(b.pk) == "done"
    assert all(verify.verify_pdf(bytes_of(d))["valid"] for d in docs)
