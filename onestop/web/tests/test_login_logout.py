"""Logging in and out through the pages; anonymous visitors are sent to the login page."""
from __future__ import annotations

from onestop import testing
from onestop.org.models import Role


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_login_page_is_chinese(client, db):
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page
    assert '项目落地"一件事"服务平台' in page


def test_login_with_right_password_lands_on_home(client, db):
    testing.account(Role.RESIDENT, username="lihua", display_name="李华")
    response = client.post("/login/", {"username": "lihua", "password": "demo-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "李华" in page and "群众工作台" in page


def test_login_honours_next(client, db):
    testing.account(Role.RESIDENT, username="lihua")
    response = client.post("/login/?next=/catalog/", {"username": "lihua", "password": "demo-pass-123",
                                                     "next": "/catalog/"})
    assert response["Location"] == "/catalog/"


def test_wrong_password_is_refused_in_chinese_and_logs_nobody_in(client, db):
    testing.account(Role.RESIDENT, username="lihua")
    response = client.post("/login/", {"username": "lihua", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's own zh-hans message
    assert client.get("/").status_code == 302


def test_inactive_account_cannot_log_in(client, db):
    user = testing.account(Role.RESIDENT, username="gone")
    user.is_active = False
    user.save()
    response = client.post("/login/", {"username": "gone", "password": "demo-pass-123"})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_logged_in_visitor_of_login_page_goes_home(client, db):
    testing.account(Role.RESIDENT, username="lihua")
    client.login(username="lihua", password="demo-pass-123")
    assert client.get("/login/")["Location"] == "/"


def test_logout_needs_post_and_ends_the_session(client, db):
    testing.account(Role.RESIDENT, username="lihua")
    client.login(username="lihua", password="demo-pass-123")
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_header_has_a_logout_form_posting_with_csrf(client, db):
    testing.account(Role.RESIDENT, username="lihua")
    client.login(username="lihua", password="demo-pass-123")
    page = client.get("/").content.decode()
    assert '<form method="post" action="/logout/">' in page
    assert "退出登录" in page
