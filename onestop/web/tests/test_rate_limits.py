"""What anyone may call without an account is rate-limited per client address (onestop.throttle): the login
form, seal verification (page and API), the platform's TSA and public comments. Over the limit: 429 with
Retry-After, a page or the API's one error shape; another address, or another kind of request, still passes."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onestop import testing
from onestop.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {"login": "3/m", "verify": "2/m", "tsa": "2/m", "comments": "2/m"}


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def test_password_guessing_from_one_address_is_refused_after_the_limit_with_retry_after():
    testing.account(Role.RESIDENT, username="lihua")
    guesser = from_address("203.0.113.7")
    for _ in range(3):
        assert guesser.post("/login/", {"username": "lihua", "password": "wrong"}).status_code == 200
    refused = guesser.post("/login/", {"username": "lihua", "password": "demo-pass-123"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "<h1>请求过于频繁</h1>" in page and "请一分钟后再试" in page  # the page, in Chinese
    assert "_auth_user_id" not in guesser.session  # the right password did not get through either


def test_another_address_still_logs_in_and_reading_the_form_is_not_counted():
    testing.account(Role.RESIDENT, username="lihua")
    guesser = from_address("203.0.113.7")
    for _ in range(3):
        guesser.post("/login/", {"username": "lihua", "password": "wrong"})
    assert guesser.get("/login/").status_code == 200
    other = from_address("198.51.100.1").post("/login/", {"username": "lihua", "password": "demo-pass-123"})
    assert other.status_code == 302


def test_verification_by_api_over_the_limit_answers_429_in_the_one_error_shape():
    caller = from_address("203.0.113.8")
    for _ in range(2):
        r = caller.post("/api/seals/verify", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 not really")})
        assert r.status_code == 400  # refused for what it is, and counted
    r = caller.post("/api/seals/verify", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 not really")})
    assert r.status_code == 429 and r["Retry-After"] == "60"
    assert r.json()["error"] == "rate_limited" and r.json()["message"]["zh"].startswith("请求过于频繁")


def test_the_verification_page_counts_uploads_not_lookups():
    caller = from_address("203.0.113.9")
    for _ in range(2):
        caller.post("/seals/verify", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 not really")})
    assert caller.get("/seals/verify?number=X").status_code == 200
    assert caller.post("/seals/verify", {"file": SimpleUploadedFile("a.pdf", b"x")}).status_code == 429


def test_the_time_stamp_service_is_limited_per_address():
    caller = from_address("203.0.113.10")
    for _ in range(2):
        assert caller.post("/seals/tsa", data=b"junk", content_type="application/timestamp-query").status_code == 200
    assert caller.post("/seals/tsa", data=b"junk", content_type="application/timestamp-query").status_code == 429
    assert from_address("198.51.100.2").post(
        "/seals/tsa", data=b"junk", content_type="application/timestamp-query").status_code == 200


def test_a_limit_set_off_counts_nothing(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tsa": "off"}
    caller = from_address("203.0.113.11")
    for _ in range(5):
        assert caller.post("/seals/tsa", data=b"junk", content_type="application/timestamp-query").status_code == 200


def _redis_answers() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_url_every_process_counts_in_one_shared_cache_and_the_checks_pass():
    """Two server processes must count one client's requests together: REDIS_URL makes the cache shared."""
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup()\n"
        "from django.core.cache import caches; from django.core.management import call_command\n"
        "c = caches['default']; print(type(c).__name__)\n"
        "c.add('onestop-test-shared', 0); print(c.incr('onestop-test-shared'))\n"
        "call_command('check', fail_level='WARNING')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onestop.settings", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True) for _ in range(2)]
    try:
        for run in runs:
            assert run.returncode == 0, run.stderr
        assert [r.stdout.split()[:2] for r in runs] == [["RedisCache", "1"], ["RedisCache", "2"]]
    finally:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15").delete(":1:onestop-test-shared")
