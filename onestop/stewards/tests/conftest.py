import pytest

from onestop.stewards.tests.world import build


@pytest.fixture
def w(places):
    return build(places, n_stewards=2, n_projects=2)


@pytest.fixture
def as_(client):
    """as_(account) → the test client logged in as that account."""

    def login(account):
        client.logout()
        client.force_login(account)
        return client

    return login
