"""The admin shows the steward's and the ratings' tables read-only: changes go through the audited actions."""
import pytest

from onestop.org.models import Role
from onestop.stewards import actions
from onestop.testing import account

pytestmark = pytest.mark.django_db
PAGES = ["stewards/assignment", "stewards/message", "stewards/milestone", "stewards/workitem",
         "feedback/service", "feedback/rating", "feedback/followup", "feedback/returnvisit", "feedback/publiccomment"]


@pytest.mark.parametrize("page", PAGES)
def test_the_list_opens_and_nothing_can_be_added(w, client, page):
    actions.post_message(w.users[0], w.projects[0].pk, "你好")
    client.force_login(account(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    assert client.get(f"/admin/{page}/").status_code == 200
    assert client.get(f"/admin/{page}/add/").status_code == 403
