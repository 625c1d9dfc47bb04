"""The enterprise and project pages: what the caller sees, filters, 404 for the rest, Chinese by default."""
from __future__ import annotations

import pytest

from onestop.org.models import Role


def test_the_enterprise_list_shows_only_what_the_caller_sees(w, client):
    client.force_login(w.accounts[Role.WINDOW_CLERK])
    page = client.get("/enterprises/").content.decode()
    assert "青岛海之晨工业装备有限公司" in page and w.enterprise.credit_code in page
    assert "大场镇某食品有限公司" not in page
    assert "企业库" in page  # Chinese by default


def test_the_enterprise_list_filters_by_text_and_shows_a_bad_place_beside_the_field(w, client):
    client.force_login(w.accounts[Role.ADMINISTRATOR])
    page = client.get("/enterprises/?q=食品").content.decode()
    assert "大场镇某食品有限公司" in page and "青岛海之晨" not in page
    response = client.get("/enterprises/?place=999999")
    assert response.status_code == 200 and "unknown place" in response.content.decode()


def test_the_enterprise_page_lists_its_projects_and_contacts(w, client):
    from onestop.enterprises.models import Contact

    Contact.objects.create(enterprise=w.enterprise, name="钱经理", phone="0532-86000000", title="总经理")
    client.force_login(w.accounts[Role.COMMISSIONER])
    page = client.get(f"/enterprises/{w.enterprise.pk}/").content.decode()
    assert "青岛市氢能产业园" in page and "钱经理" in page and "0532-86000000" in page


def test_the_project_page_shows_investor_place_investment_land_stage_and_steward(w, client):
    client.force_login(w.accounts[Role.STEWARD])
    page = client.get(f"/enterprises/projects/{w.project.pk}/").content.decode()
    for text in ("青岛海之晨工业装备有限公司", "东泊里村第一网格", "1000.00", w.accounts[Role.STEWARD].display_name):
        assert text in page
    assert "未拿地" in page or "No land yet" in page


@pytest.mark.parametrize("url", ["/enterprises/{e}/", "/enterprises/projects/{p}/"])
def test_a_page_the_caller_may_not_see_is_404(w, client, url):
    client.force_login(w.accounts[Role.EMPLOYER_UNIT])
    assert client.get(url.format(e=w.enterprise.pk, p=w.project.pk)).status_code == 404


def test_the_project_list_filters_by_stage(w, client):
    client.force_login(w.accounts[Role.ADMINISTRATOR])
    assert "青岛市氢能产业园" in client.get("/enterprises/projects/?stage=planning").content.decode()
    assert "青岛市氢能产业园" not in client.get("/enterprises/projects/?stage=landed").content.decode()


def test_pages_switch_to_english(w, client):
    client.force_login(w.accounts[Role.ADMINISTRATOR])
    client.post("/i18n/setlang/", {"language": "en", "next": "/enterprises/projects/"})
    page = client.get("/enterprises/projects/").content.decode()
    assert "Investment (10,000 yuan)" in page and "投资额" not in page


def test_pages_need_a_login(client, db):
    response = client.get("/enterprises/")
    assert response.status_code == 302 and "/login/" in response["Location"]
