import json

import pytest

from onestop.org.tests.builders import world as build_world


@pytest.fixture
def w(places):
    return build_world(places)


@pytest.fixture
def api(client):
    """A JSON client: api(account).post(url, body) → response."""

    class Api:
        def __init__(self, account=None):
            if account is not None:
                client.force_login(account)

        def _send(self, method, url, body=None):
            kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
            return getattr(client, method)(url, **kwargs)

        def get(self, url):
            return self._send("get", url)

        def post(self, url, body):
            return self._send("post", url, body)

        def patch(self, url, body):
            return self._send("patch", url, body)

    return Api
