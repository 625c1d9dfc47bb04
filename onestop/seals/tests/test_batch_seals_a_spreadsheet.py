"""A batch seals every row of a spreadsheet once, reports bad rows before sealing anything, ends in a zip."""
import zipfile

import pytest

from onestop.errors import Conflict, InvalidInput
from onestop.seals import actions, batch, verify
from onestop.seals.models import Batch, BatchItem, IssuedDocument, SealUse
from onestop.seals.sheet import make_sheet, sample_rows


def test_batch_seals_every_row_once_and_zips_them(clerk, seal):
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(5)), level="B-B")
    assert batch.run_batch(b.pk) == "done"
    b.refresh_from_db()
    assert (b.state, b.done, b.failed) == ("done", 5, 0)
    assert IssuedDocument.objects.filter(batch=b).count() == 5 == SealUse.objects.filter(batch=b).count()
    assert batch.run_batch(b.pk) == "busy"  # a finished batch is never run again
    with zipfile.ZipFile(actions.seals_dir() / b.zip_path) as zf:
        pdfs = [n for n in zf.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 5
        assert verify.verify_pdf(zf.read(pdfs[0]))["valid"]
    p = batch.progress(b)
    assert p["done"] == 5 and p["percent"] == 100.0 and p["zip_ready"]


def test_bad_rows_are_all_named_and_nothing_is_created(clerk, seal):
    rows = sample_rows(4)
    rows[1]["name"] = ""
    rows[2]["id_number"] = "370211199001011230"
    rows[3]["end"] = "not a date"
    with pytest.raises(InvalidInput) as exc:
        batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(rows))
    assert set(exc.value.fields) == {"rows.3.name", "rows.4.id_number", "rows.5.end"}
    assert not Batch.objects.exists() and not BatchItem.objects.exists()


def test_not_a_spreadsheet_is_refused(clerk, seal):
    with pytest.raises(InvalidInput) as exc:
        batch.start_batch(clerk, seal_id=seal.pk, sheet=b"%PDF-1.7 not a sheet")
    assert "file" in exc.value.fields


def test_batch_needs_a_grant_and_a_platform_held_key(admin, seal, bureau):
    from onestop import testing

    outsider = testing.account("approver", department=bureau)
    with pytest.raises(Exception) as exc:
        batch.start_batch(outsider, seal_id=seal.pk, sheet=make_sheet(sample_rows(1)))
    assert exc.value.status == 404  # no grant: the seal is not even visible
    org = testing.enterprise()
    own = actions.create_seal(admin, kind="official", organisation=org.pk, passphrase="holder-secret-1")
    actions.grant_use(admin, own.pk, admin.pk)
    with pytest.raises(Conflict):
        batch.start_batch(admin, seal_id=own.pk, sheet=make_sheet(sample_rows(1)))


def test_progress_page_polls_with_htmx_until_done(client, clerk, seal):
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(2)), level="B-B")
    client.force_login(clerk)
    page = client.get(f"/seals/batches/{b.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "0 / 2" in page
    batch.run_batch(b.pk)
    part = client.get(f"/seals/batches/{b.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and "2 / 2" in part and "hx-trigger" not in part
    r = client.get(f"/api/seals/batches/{b.pk}")
    assert r.json()["done"] == 2 and r.json()["state"] == "done"
    assert client.get(f"/seals/batches/{b.pk}/zip").status_code == 200


def test_large_batch_runs_on_every_core_and_each_row_once(clerk, seal, monkeypatch):
    from onestop.seals import parallel

    monkeypatch.setenv("ONESTOP_SEALS_PROCESSES", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 8)
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(40)), level="B-LT")
    assert batch.run_batch(b.pk) == "done"
    b.refresh_from_db()
    assert (b.done, b.failed) == (40, 0)
    docs = IssuedDocument.objects.filter(batch=b)
    assert docs.count() == 40 == SealUse.objects.filter(batch=b).count()
    for doc in docs[:3]:
        assert verify.verify_pdf((actions.seals_dir() / doc.path).read_bytes())["valid"]
