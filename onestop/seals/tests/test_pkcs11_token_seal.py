"""A seal whose key lives on a hardware token (PKCS#11), for real against SoftHSM2: the key pair is generated on
the token, the platform CA certifies its public key at registration, and documents sealed with it verify
valid and trusted with pyHanko and pdfsig. The PIN is never stored; a wrong one is a 400 naming `pin`."""
import pytest

from onestop.audit.models import Event
from onestop.seals import actions, verify
from onestop.seals.models import IssuedDocument, KeyProtection, Seal
from onestop.seals.tests import softhsm
from onestop.seals.tests.conftest import APPOINTMENT
from onestop.seals.tests.test_external_timestamp_service import b_lt_hard_fail
from onestop.seals.tests.conftest import pdfsig


def register(client, bureau, key: str, **over):
    body = {"kind": "approval", "department": bureau.pk, "module": softhsm.MODULE, "token_label": softhsm.token(),
            "key_label": key, "pin": softhsm.PIN, **over}
    return client.post("/api/seals/seals/pkcs11", body, content_type="application/json")


@pytest.fixture
def token_seal(client, admin, bureau, clerk):
    client.force_login(admin)
    response = register(client, bureau, softhsm.new_ec_key())
    assert response.status_code == 201, response.content
    seal = Seal.objects.get(pk=response.json()["id"])
    actions.grant_use(admin, seal.pk, clerk.pk)
    client.force_login(clerk)
    return seal


def issue(client, seal, **over):
    return client.post("/api/seals/documents", {"seal": seal.pk, "kind": "approval", "level": "B-LT",
                                                "data": {"recipient": "青岛海之晨工业装备有限公司", "matter": "建设工程规划许可"},
                                                **over}, content_type="application/json")


def test_a_token_seal_seals_a_document_that_verifies_with_pyhanko_and_pdfsig(client, token_seal, nssdir, tmp_path):
    seal = token_seal
    assert seal.protection == KeyProtection.PKCS11 and bytes(seal.key_enc) == b"" and seal.algorithm == "ec_p256"
    assert seal.pkcs11_token == softhsm.token() and seal.pkcs11_pin_env == ""
    registered = Event.objects.get(action="seal.pkcs11_registered")
    assert softhsm.PIN not in str(registered.after)  # the PIN is used, never kept (nor logged)

    response = issue(client, seal, pin=softhsm.PIN)
    assert response.status_code == 201, response.content
    doc = IssuedDocument.objects.get(pk=response.json()["id"])
    data = (actions.seals_dir() / doc.path).read_bytes()
    report = verify.verify_pdf(data)
    assert report["valid"] and report["signatures"][0]["seal_id"] == seal.pk, report
    assert report["signatures"][0]["trusted"] and report["signatures"][0]["timestamped"]
    status = b_lt_hard_fail(data)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    path = tmp_path / "token.pdf"
    path.write_bytes(data)
    out = pdfsig(path, nssdir)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out, out


def test_a_wrong_or_missing_pin_is_a_400_naming_pin_and_nothing_is_sealed(client, token_seal):
    wrong = issue(client, token_seal, pin="000000")
    assert wrong.status_code == 400 and wrong.json()["fields"] == {"pin": wrong.json()["fields"]["pin"]}
    assert wrong.json()["error"] == "wrong_pin"
    missing = issue(client, token_seal)
    assert missing.status_code == 400 and "pin" in missing.json()["fields"]
    assert not IssuedDocument.objects.exists()


def test_registration_checks_the_pin_module_token_and_key_and_creates_nothing_when_wrong(client, admin, bureau):
    client.force_login(admin)
    key = softhsm.new_ec_key()
    cases = [({"pin": "000000"}, "pin"), ({"module": "/usr/lib/x86_64-linux-gnu/libc.so.6"}, "module"),
             ({"token_label": "no-such-token"}, "token_label"), ({"key_label": "no-such-key"}, "key_label"),
             ({"pin_env": "SECRET_KEY"}, "pin_env")]
    for over, field in cases:
        response = register(client, bureau, key, **over)
        assert response.status_code == 400 and field in response.json()["fields"], (over, response.content)
    assert not Seal.objects.exists() and not Event.objects.filter(action="seal.pkcs11_registered").exists()


def test_a_certificate_of_another_key_is_refused(client, admin, bureau):
    from onestop.org.tests.matrix_seals import pkcs12
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12 as p12

    client.force_login(admin)
    other = p12.load_key_and_certificates(pkcs12(), b"p12-pass")[1].public_bytes(Encoding.PEM).decode()
    response = register(client, bureau, softhsm.new_ec_key(), certificate=other)
    assert response.status_code == 400 and "certificate" in response.json()["fields"]
    assert not Seal.objects.exists()


def test_with_its_pin_in_the_environment_a_token_seal_adds_its_seal_and_both_stay_valid(
        client, admin, bureau, clerk, seal, monkeypatch):
    monkeypatch.setenv("SEALS_PIN_TEST_BUREAU", softhsm.PIN)
    client.force_login(admin)
    response = register(client, bureau, softhsm.new_ec_key(), kind="official", pin_env="SEALS_PIN_TEST_BUREAU")
    assert response.status_code == 201 and response.json()["pkcs11"]["pin_env"] == "SEALS_PIN_TEST_BUREAU"
    token_seal = Seal.objects.get(pk=response.json()["id"])
    actions.grant_use(admin, token_seal.pk, clerk.pk)
    doc = actions.issue_document(clerk, seal_id=seal.pk, kind="appointment", data=APPOINTMENT)
    doc = actions.countersign(clerk, document_id=doc.pk, seal_id=token_seal.pk)  # no PIN given: the environment's
    report = verify.verify_pdf((actions.seals_dir() / doc.path).read_bytes())
    assert report["valid"] and [s["seal_id"] for s in report["signatures"]] == [seal.pk, token_seal.pk], report


def test_an_applicant_token_seal_cannot_leave_its_pin_with_the_platform(client, admin):
    from onestop import testing

    org = testing.enterprise()
    client.force_login(admin)
    response = client.post("/api/seals/seals/pkcs11", {
        "kind": "official", "organisation": org.pk, "module": softhsm.MODULE, "token_label": softhsm.token(),
        "key_label": softhsm.new_ec_key(), "pin": softhsm.PIN, "pin_env": "SEALS_PIN_APPLICANT"},
        content_type="application/json")
    assert response.status_code == 400 and "pin_env" in response.json()["fields"]
