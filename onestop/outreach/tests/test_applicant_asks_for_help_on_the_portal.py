"""An enterprise or a resident raises a help request through the portal page; it lands with the nearest
agent and is listed back to them. A bad form names the field and writes nothing."""
from django.urls import reverse

from onestop.outreach.models import HelpRequest


def test_a_resident_asks_on_the_portal_and_the_grid_worker_gets_it(w, client):
    client.force_login(w.resident)
    page = client.get(reverse("outreach:ask"))
    assert page.status_code == 200 and w.village_matter.name in page.content.decode()
    response = client.post(reverse("outreach:ask"), {
        "matter_id": w.village_matter.pk, "place_id": w.p["grid"].pk, "description": "腿脚不便，请上门帮办优待证",
        "contact_phone": "13800000000"})
    assert response.status_code == 302
    req = HelpRequest.objects.get()
    assert (req.requester_account, req.channel, req.agent) == (w.resident, "portal", w.grid_worker)
    assert req.due_at is not None
    listed = client.get(reverse("outreach:ask")).content.decode()
    assert req.number in listed and w.grid_worker.display_name in listed


def test_an_enterprise_asks_without_a_matter_and_is_told_which_field(w, client):
    client.force_login(w.enterprise_user)
    response = client.post(reverse("outreach:ask"), {"place_id": w.p["village"].pk, "description": "办理用电报装"})
    assert response.status_code == 400
    assert "matter_id" in response.context["errors"]
    assert not HelpRequest.objects.exists()
