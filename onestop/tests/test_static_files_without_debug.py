"""With DEBUG off, pages link their CSS under content-hashed names and WhiteNoise serves it from what
`collectstatic` (make run) collected: the production storage, not Django's debug-only static view."""
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_page_s_css_is_served_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)

    client = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT when the middleware starts
    page = client.get("/login/")
    assert page.status_code == 200
    css = re.search(r'href="(/static/web/onestop\.[0-9a-f]{12}\.css)"', page.content.decode())
    assert css, "the page links its CSS under a hashed name"
    served = client.get(css.group(1))
    assert served.status_code == 200 and served["Content-Type"].startswith("text/css")
    body = b"".join(served.streaming_content) if served.streaming else served.content
    assert body == (settings.STATIC_ROOT / css.group(1).removeprefix("/static/")).read_bytes()
    assert "max-age=315360000" in served["Cache-Control"]  # hashed names are cached for ever
    assert client.get("/static/web/no-such.css").status_code == 404
