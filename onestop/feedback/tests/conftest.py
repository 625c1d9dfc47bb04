import itertools

import pytest

from onestop.feedback import actions
from onestop.stewards.tests.world import build

_refs = itertools.count(1)


@pytest.fixture
def w(places):
    return build(places, n_stewards=2, n_projects=2)


@pytest.fixture
def service(w):
    """service(i) → an issued application of project i, received by enterprise i."""

    def make(i=0, kind="application"):
        return actions.register_service(kind, next(_refs), f"办件{i}", project=w.projects[i],
                                        recipient_organisation=w.enterprises[i])

    return make


@pytest.fixture
def as_(client):
    def login(account):
        client.logout()
        if account is not None:
            client.force_login(account)
        return client

    return login
