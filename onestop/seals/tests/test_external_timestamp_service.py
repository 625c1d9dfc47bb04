"""The platform serves its RFC 3161 time-stamp service over HTTP (POST /seals/tsa), and with SEALS_TSA_URL set,
sealing (single documents and batches) fetches its time-stamps over HTTP from that URL with pyHanko's
HTTPTimeStamper: here the platform's own endpoint on a live server, with basic auth. A service that is down,
refuses, or answers garbage is a clear 503 and nothing is sealed or written."""
import hashlib
import http.server
import io
import os
import threading

import pytest
from asn1crypto import algos, tsp

from onestop.seals import actions, aio, batch, keystore, pki, tsa, verify
from onestop.seals.models import BatchItem, IssuedDocument, SealUse
from onestop.seals.sheet import make_sheet, sample_rows
from onestop.seals.signing import to_asn1
from onestop.seals.tests.conftest import APPOINTMENT
from onestop.seals.tests.conftest import pdfsig

QUERY = "application/timestamp-query"


def request(digest: bytes, *, algorithm: str = "sha256", nonce: int | None = 12345, cert_req: bool = True) -> bytes:
    req = {"version": "v1", "message_imprint": tsp.MessageImprint({
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}), "hashed_message": digest}),
        "cert_req": cert_req}
    if nonce is not None:
        req["nonce"] = nonce
    return tsp.TimeStampReq(req).dump()


def post(client, body: bytes, content_type: str = QUERY):
    return client.post("/seals/tsa", data=body, content_type=content_type)


def root_context():
    from pyhanko_certvalidator import ValidationContext

    root = to_asn1(pki.load_cert(keystore.authority().root_cert_pem))
    return ValidationContext(trust_roots=[root], allow_fetching=False)


def test_the_platform_tsa_answers_a_timestamp_query_with_a_token_that_verifies(client, db):
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

    digest = hashlib.sha256(b"onestop").digest()
    response = post(client, request(digest))
    assert response.status_code == 200 and response["Content-Type"] == "application/timestamp-reply"
    resp = tsp.TimeStampResp.load(response.content)
    assert resp["status"]["status"].native == "granted"
    token = resp["time_stamp_token"]
    info = token["content"]["encap_content_info"]["content"].parsed
    assert info["nonce"].native == 12345 and info["message_imprint"]["hashed_message"].native == digest
    status = aio.run(validate_tst_signed_data(token["content"], root_context(), lambda algo: digest))
    assert status["intact"] and status["valid"] and status["trust_problem_indic"] is None
    assert token["content"]["certificates"].native  # certReq: the TSA certificate comes with the token
    # a SHA-512 imprint is stamped too (the TSA signs with SHA-256 whatever the imprint's hash)
    digest512 = hashlib.sha512(b"onestop").digest()
    resp = tsp.TimeStampResp.load(post(client, request(digest512, algorithm="sha512")).content)
    status = aio.run(validate_tst_signed_data(resp["time_stamp_token"]["content"], root_context(),
                                                  lambda algo: digest512))
    assert status["intact"] and status["valid"] and status["trust_problem_indic"] is None


def test_without_cert_req_the_token_carries_no_certificates(client, db):
    resp = tsp.TimeStampResp.load(post(client, request(b"\1" * 32, cert_req=False)).content)
    assert resp["status"]["status"].native == "granted"
    assert not resp["time_stamp_token"]["content"]["certificates"].native


@pytest.mark.parametrize("body,fail", [
    (b"not DER at all", "bad_data_format"),
    (request(b"\1" * 20, algorithm="sha1"), "bad_alg"),
    (request(b"\1" * 31), "bad_data_format"),  # a SHA-256 imprint must be 32 bytes
])
def test_a_bad_query_is_rejected_saying_why_never_a_500(client, db, body, fail):
    response = post(client, body)
    assert response.status_code == 200 and response["Content-Type"] == "application/timestamp-reply"
    resp = tsa.TimeStampResp.load(response.content)  # RFC 3161: a rejection carries no token
    assert resp["status"]["status"].native == "rejection"
    assert resp["status"]["fail_info"].native == {fail}
    assert resp["time_stamp_token"].native is None


def test_the_endpoint_wants_post_and_its_content_type_and_its_credentials_when_set(client, db, settings):
    assert client.get("/seals/tsa").status_code == 405
    assert post(client, request(b"\1" * 32), "application/octet-stream").status_code == 415
    settings.SEALS_TSA_SERVE_USER, settings.SEALS_TSA_SERVE_PASSWORD = "peer", "tsa-secret"
    assert post(client, request(b"\1" * 32)).status_code == 401
    import base64

    good = base64.b64encode(b"peer:tsa-secret").decode()
    ok = client.post("/seals/tsa", data=request(b"\1" * 32), content_type=QUERY, HTTP_AUTHORIZATION=f"Basic {good}")
    assert ok.status_code == 200


# --- sealing through the HTTP path ------------------------------------------------------------------------


@pytest.fixture
def external_tsa(live_server, settings):
    """SEALS_TSA_URL pointing at the platform's own endpoint on a live server, behind basic auth."""
    settings.SEALS_TSA_SERVE_USER, settings.SEALS_TSA_SERVE_PASSWORD = "peer", "tsa-secret"
    settings.SEALS_TSA_URL = f"{live_server.url}/seals/tsa"
    settings.SEALS_TSA_USER, settings.SEALS_TSA_PASSWORD = "peer", "tsa-secret"
    return settings


class Counting(http.server.BaseHTTPRequestHandler):
    """A stand-in 'time-stamp service' that answers garbage with the right content type."""

    hits = 0

    def do_POST(self):  # noqa: N802 - http.server's name
        Counting.hits += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.end_headers()
        self.wfile.write(b"\x30\x03garbage")

    def log_message(self, *args):
        pass


@pytest.fixture
def garbage_tsa():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()


def b_lt_hard_fail(data: bytes):
    """pyHanko's validator with revocation checking on (hard-fail), no network, only the root + the file's DSS."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(data))
    root = to_asn1(pki.load_cert(keystore.authority().root_cert_pem))
    vc = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"})
    return aio.call(validate_pdf_signature, reader.embedded_signatures[0], signer_validation_context=vc,
                    ts_validation_context=vc)


def test_a_document_sealed_at_b_lt_through_the_http_tsa_verifies_with_pyhanko_and_pdfsig(
        external_tsa, clerk, seal, nssdir, tmp_path):
    from onestop.audit.models import Event

    assert tsa.configured().url.endswith("/seals/tsa")
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-LT")
    data = (actions.seals_dir() / doc.path).read_bytes()
    report = verify.verify_pdf(data)
    assert report["valid"] and report["signatures"][0]["timestamped"], report
    status = b_lt_hard_fail(data)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    path = tmp_path / "external.pdf"
    path.write_bytes(data)
    out = pdfsig(path, nssdir)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out, out
    assert not Event.objects.filter(action="batch.paused").exists()
    # the token really came over HTTP: with the wrong password the same sealing is refused
    external_tsa.SEALS_TSA_PASSWORD = "wrong"
    with pytest.raises(actions.TimestampServiceDown):
        actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-LT")


def nothing_sealed() -> bool:
    docs = actions.seals_dir() / "docs"
    return not IssuedDocument.objects.exists() and not SealUse.objects.exists() and \
        not (docs.exists() and any(docs.rglob("*.pdf")))


def test_a_tsa_that_is_down_is_a_clear_error_and_nothing_is_sealed(settings, clerk, seal, client):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.SEALS_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    client.force_login(clerk)
    response = client.post("/api/seals/documents", {"seal": seal.pk, "kind": "appointment", "data": APPOINTMENT,
                                                     "level": "B-T"}, content_type="application/json")
    assert response.status_code == 503, response.content
    body = response.json()
    assert body["error"] == "tsa_unavailable" and "时间戳服务不可用" in body["message"]["zh"]
    assert f"127.0.0.1:{port}" in body["message"]["en"]
    assert nothing_sealed()


def test_a_tsa_answering_garbage_is_a_clear_error_and_nothing_is_sealed(settings, clerk, seal, garbage_tsa):
    settings.SEALS_TSA_URL = garbage_tsa
    Counting.hits = 0
    with pytest.raises(actions.TimestampServiceDown) as caught:
        actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT, level="B-LT")
    assert caught.value.status == 503 and Counting.hits >= 1
    assert nothing_sealed()


def test_a_batch_uses_the_external_tsa_pauses_while_it_is_down_and_resumes_exactly_once(
        external_tsa, clerk, seal, garbage_tsa):
    good = external_tsa.SEALS_TSA_URL
    external_tsa.SEALS_TSA_URL = garbage_tsa
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(3)), level="B-LT")
    assert batch.run_batch(b.pk) == "tsa_unavailable"
    b.refresh_from_db()
    assert b.done == 0 and b.failed == 0 and "unavailable" in b.error and b.state == "running"
    assert set(BatchItem.objects.filter(batch=b).values_list("state", flat=True)) == {"pending"}
    assert nothing_sealed() and batch.progress(b)["error"]

    external_tsa.SEALS_TSA_URL = good
    b.runner = ""  # what periodic.resume_stale_batches does once the heartbeat is stale
    b.save(update_fields=["runner"])
    assert batch.run_batch(b.pk) == "done"
    b.refresh_from_db()
    assert (b.done, b.failed, b.error) == (3, 0, "")
    docs = IssuedDocument.objects.filter(batch=b)
    assert docs.count() == 3 == SealUse.objects.filter(batch=b).count()
    for doc in docs:
        data = (actions.seals_dir() / doc.path).read_bytes()
        assert verify.verify_pdf(data)["valid"]
        assert b_lt_hard_fail(data).trusted


def test_tsa_settings_come_from_the_environment_too(monkeypatch, settings):
    for name in ("SEALS_TSA_URL", "SEALS_TSA_USER", "SEALS_TSA_PASSWORD"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert tsa.configured() is None
    monkeypatch.setenv("SEALS_TSA_URL", "https://tsa.example.cn/tsr")
    monkeypatch.setenv("SEALS_TSA_USER", "onestop")
    monkeypatch.setenv("SEALS_TSA_PASSWORD", "pw")
    config = tsa.configured()
    assert (config.url, config.user, config.password) == ("https://tsa.example.cn/tsr", "onestop", "pw")
    assert "pw" not in repr(config)
    assert os.environ["SEALS_TSA_URL"] == config.url


def test_a_batch_on_every_core_fetches_its_tokens_over_http_too(external_tsa, clerk, seal, monkeypatch):
    """The pool path (child processes sealing a large batch) uses the configured TSA, not the in-process one:
    with the wrong password every child's request is refused and the batch pauses; with the right one it ends."""
    from onestop.seals import parallel

    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # a pool for a small batch, so the test stays short
    pooled, run = [], parallel.SealPool.run
    monkeypatch.setattr(parallel.SealPool, "run", lambda self, rows, token: pooled.append(len(rows)) or run(self, rows, token))
    external_tsa.SEALS_BATCH_PROCESSES = 2
    external_tsa.SEALS_TSA_PASSWORD = "wrong"
    b = batch.start_batch(clerk, seal_id=seal.pk, sheet=make_sheet(sample_rows(4)), level="B-LT")
    assert batch.run_batch(b.pk) == "tsa_unavailable"
    assert set(BatchItem.objects.filter(batch=b).values_list("state", flat=True)) == {"pending"}
    assert nothing_sealed()

    external_tsa.SEALS_TSA_PASSWORD = "tsa-secret"
    Batch = type(b)
    Batch.objects.filter(pk=b.pk).update(runner="")
    assert batch.run_batch(b.pk) == "done"
    assert pooled == [4, 4]  # both runs sealed in the child processes
    docs = IssuedDocument.objects.filter(batch=b)
    assert docs.count() == 4 == SealUse.objects.filter(batch=b).count()
    for doc in docs:
        data = (actions.seals_dir() / doc.path).read_bytes()
        assert verify.verify_pdf(data)["valid"] and b_lt_hard_fail(data).trusted
