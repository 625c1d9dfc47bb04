"""印章管理 (/seals/manage/): the page where an administrator, or an applicant organisation's own account,
makes seals by the platform CA, registers a seal on a hardware token (real SoftHSM2), revokes a seal and
grants or withdraws its use. Every action goes through `onestop.seals.actions` (audit included); a bad
field is named and nothing is made; whoever manages no seal gets 403."""
import pytest

from onestop import testing
from onestop.audit.models import Event
from onestop.browser import log_in, screenshot
from onestop.seals.models import KeyProtection, Seal, SealUser
from onestop.seals.tests import softhsm

PAGE = "/seals/manage/"


def events(seal: Seal, action: str) -> int:
    return Event.objects.filter(chain__aggregate_type="seals.Seal", chain__aggregate_id=str(seal.pk), action=action).count()


def test_an_administrator_makes_a_department_seal_and_it_is_listed(client, admin, bureau):
    client.force_login(admin)
    response = client.post(PAGE, {"do": "create", "kind": "approval", "owner": f"department:{bureau.pk}",
                                  "algorithm": "ec_p256"})
    seal = Seal.objects.get(department=bureau, kind="approval")
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?done=create:{seal.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "印章已刻制" in page and f'data-testid="seal-{seal.pk}"' in page and "青岛西海岸新区人力资源和社会保障局行政审批专用章" in page
    assert seal.protection == KeyProtection.PLATFORM and events(seal, "seal.created") == 1


def test_a_bad_owner_or_kind_is_named_and_nothing_is_made(client, admin, bureau):
    client.force_login(admin)
    response = client.post(PAGE, {"do": "create", "kind": "approval", "owner": "nobody", "algorithm": "ec_p256"})
    assert response.status_code == 400 and "<code>owner</code>" in response.content.decode()
    response = client.post(PAGE, {"do": "create", "kind": "stamp", "owner": f"department:{bureau.pk}",
                                  "algorithm": "ec_p256"})
    assert response.status_code == 400 and "<code>kind</code>" in response.content.decode()
    assert not Seal.objects.filter(kind="approval").exists()


def test_a_token_seal_is_registered_from_the_page_and_a_wrong_pin_registers_nothing(client, admin, bureau):
    client.force_login(admin)
    key = softhsm.new_ec_key()
    form = {"do": "token", "kind": "approval", "owner": f"department:{bureau.pk}", "module": softhsm.MODULE,
            "token_label": softhsm.token(), "key_label": key}
    wrong = client.post(PAGE, {**form, "pin": "000000"})
    assert wrong.status_code == 400 and "<code>pin</code>" in wrong.content.decode()
    assert not Seal.objects.filter(protection=KeyProtection.PKCS11).exists()
    assert f'value="{key}"' in wrong.content.decode()  # the form keeps what was typed, but never the PIN
    response = client.post(PAGE, {**form, "pin": softhsm.PIN})
    assert response.status_code == 302, response.content.decode()[:2000]
    seal = Seal.objects.get(protection=KeyProtection.PKCS11)
    assert (seal.pkcs11_token, seal.pkcs11_key, bytes(seal.key_enc)) == (softhsm.token(), key, b"")
    assert events(seal, "seal.pkcs11_registered") == 1


def test_use_is_granted_by_username_and_withdrawn_and_an_unknown_username_is_named(client, admin, seal, bureau):
    client.force_login(admin)
    user = testing.account("approver", username="zhang_hr", department=bureau)
    assert client.post(PAGE, {"do": "grant", "seal_id": seal.pk, "username": "nobody"}).status_code == 400
    response = client.post(PAGE, {"do": "grant", "seal_id": seal.pk, "username": "zhang_hr"})
    assert response.status_code == 302 and SealUser.objects.filter(seal=seal, account=user).exists()
    response = client.post(PAGE, {"do": "withdraw", "seal_id": seal.pk, "account_id": user.pk})
    assert response.status_code == 302 and not SealUser.objects.filter(seal=seal, account=user).exists()
    assert events(seal, "seal.use_granted") >= 1 and events(seal, "seal.use_withdrawn") == 1


def test_revoking_needs_a_reason_and_then_the_seal_shows_revoked(client, admin, seal):
    client.force_login(admin)
    response = client.post(PAGE, {"do": "revoke", "seal_id": seal.pk, "reason": " "})
    assert response.status_code == 400 and "<code>reason</code>" in response.content.decode()
    response = client.post(PAGE, {"do": "revoke", "seal_id": seal.pk, "reason": "私钥介质遗失"})
    seal.refresh_from_db()
    assert response.status_code == 302 and seal.revoked_at is not None and seal.revocation_reason == "私钥介质遗失"
    assert 'data-testid="revoked"' in client.get(PAGE).content.decode()


def test_an_organisation_manages_only_its_own_seals_with_a_passphrase(client, admin, seal, bureau):
    unit = testing.enterprise(name="青岛西海岸新区第一中学")
    account = testing.account("employer_unit", organisation=unit)
    client.force_login(account)
    page = client.get(PAGE).content.decode()
    assert f'data-testid="seal-{seal.pk}"' not in page and f"department:{bureau.pk}" not in page
    assert client.post(PAGE, {"do": "create", "kind": "official", "owner": f"department:{bureau.pk}",
                              "algorithm": "ec_p256"}).status_code == 403
    short = client.post(PAGE, {"do": "create", "kind": "official", "owner": f"organisation:{unit.pk}",
                               "algorithm": "ec_p256", "passphrase": "short"})
    assert short.status_code == 400 and "<code>passphrase</code>" in short.content.decode()
    made = client.post(PAGE, {"do": "create", "kind": "official", "owner": f"organisation:{unit.pk}",
                              "algorithm": "ec_p256", "passphrase": "一中公章口令2026"})
    assert made.status_code == 302
    assert Seal.objects.get(organisation=unit).protection == KeyProtection.PASSPHRASE
    assert client.post(PAGE, {"do": "revoke", "seal_id": seal.pk, "reason": "x"}).status_code == 404


def test_whoever_manages_no_seal_gets_403_and_no_link(client, clerk):
    client.force_login(clerk)
    assert client.get(PAGE).status_code == 403
    assert PAGE not in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_in_the_browser_an_administrator_opens_seal_management_from_the_header_and_makes_a_seal(
        live_server, page, places):
    admin = testing.account("administrator", username="seal_admin")
    bureau = testing.department(places["district"], name="青岛西海岸新区行政审批服务局", code="XZSP")
    log_in(page, live_server.url, admin.username, "demo-pass-123")
    with page.expect_navigation():
        page.click("header >> text=印章管理")
    page.select_option("#create-kind", "approval")
    page.select_option("#create-owner", f"department:{bureau.pk}")
    with page.expect_navigation():
        page.click("[data-testid=create]")
    assert "印章已刻制" in page.inner_text("[data-testid=done]")
    assert "青岛西海岸新区行政审批服务局行政审批专用章" in page.inner_text("[data-testid=seals]")
    screenshot(page, "seal-management")
