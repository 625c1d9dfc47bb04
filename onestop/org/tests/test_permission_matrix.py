"""THE PERMISSION MATRIX: every API operation × every role (and anonymous) → the expected status.

The operations come from the OpenAPI schema (`onestop.api.api.get_openapi_schema()`); every one must have
an entry in `TABLE` below, so an endpoint added without deciding who may call it fails
`test_every_api_operation_has_an_expectation`, naming the operation and a line to add.

Each entry names a representative request against the world of `onestop.org.tests.builders` (an enterprise
E and its project P inside every role's scope) and the expected status per role:
200/201 allowed, 403 sees it but may not, 404 does not see it, 401 anonymous. Entries for objects carry an
`outside` request against an object outside every scope but an administrator's: all other roles get 404.
Writes that succeed must append an audit event; refused ones must write nothing.

Apps may keep their entries next to their code, in `onestop/<app>/tests/matrix.py` (see `_app_matrices`);
the seals entries live in `matrix_seals.py` beside this file. The world is built once per module inside a
transaction that is rolled back at the end; each test runs in its own savepoint.
"""
from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from django.db import transaction

from onestop.audit.models import Event
from onestop.org.models import Role
from onestop.org.tests import matrix_seals
from onestop.org.tests.builders import World, world

ANON = "anonymous"
ROLES: list[str] = [*Role.values, ANON]
APPLICANTS = [Role.ENTERPRISE, Role.EMPLOYER_UNIT, Role.RESIDENT]

Request = Callable[[World], tuple[str, Any]]  # (url, JSON body or None)


def expect(default: int, anonymous: int | None = 401, **by_role: int) -> dict[str, int]:
    """Every role `default`, anonymous `anonymous`, with per-role overrides."""
    table = {role: by_role.get(role, default) for role in Role.values}
    table[ANON] = anonymous if anonymous is not None else default
    return table


PUBLIC = expect(200, anonymous=200)
LOGGED_IN = expect(200)
# E and P are outside the employer unit's and the resident's scope; every other role sees them.
NOT_SEEN_BY = {Role.EMPLOYER_UNIT: 404, Role.RESIDENT: 404}


@dataclass
class Op:
    request: Request
    expected: dict[str, int]
    outside: Request | None = None  # the same request on an object nobody but an administrator sees
    audited: bool = False  # a successful call appends an audit event; a refused one writes nothing
    note: str = ""


def _enterprise_body(w: World) -> dict:
    from onestop.enterprises.creditcode import make

    return {"name": "青岛泊里新材料有限公司", "credit_code": make("9", "1", "370211", 7_654_321),
            "legal_representative": "王五", "place_id": w.places["village"].pk, "industry": "新材料"}


def _project_body(w: World) -> dict:
    return {"name": "泊里镇光伏储能项目", "investor_id": w.enterprise.pk, "place_id": w.places["village"].pk,
            "investment": "3200.00", "industry": "新能源"}


MATTER, BUNDLE = "MX-001", "MXB-1"


def _matter_body(w: World, code: str) -> dict:
    return {"code": code, "name": "企业投资项目备案", "department": w.department.code, "legal_limit": 20,
            "promised_limit": 1, "lowest_level": "town", "source": "delegated",
            "materials": [{"name": "项目备案申请表", "required": True}]}


def _catalogue_file() -> dict:
    """A multipart upload: the catalogue's own JSON export, imported again (nothing changes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onestop.catalog.export import export_json

    return {FILES: {"file": SimpleUploadedFile("catalogue.json", export_json(), "application/json")}}


def _catalogue(w: World) -> None:
    """One matter and one bundle for the catalogue's entries."""
    from onestop.catalog import actions as catalog

    admin = w.accounts[Role.ADMINISTRATOR]
    catalog.create_matter(admin, _matter_body(w, MATTER))
    catalog.create_bundle(admin, {"code": BUNDLE, "name": "项目落地一件事",
                                  "stages": [{"name": "项目立项", "promised_limit": 3, "matters": [MATTER]}]})


FILES = "__files__"
LAND = {"number": "鲁(2026)青岛市黄岛区不动产权第0012345号", "issued_on": "2026-07-15"}

# (method, path as in the OpenAPI schema) → Op
TABLE: dict[tuple[str, str], Op] = {
    # --- org: the published organisation (public) and the caller's own account
    ("GET", "/api/places"): Op(lambda w: ("/api/places", None), PUBLIC),
    ("GET", "/api/places/{place_id}"): Op(lambda w: (f"/api/places/{w.places['grid'].pk}", None), PUBLIC),
    ("GET", "/api/service-centres"): Op(lambda w: ("/api/service-centres", None), PUBLIC),
    ("GET", "/api/departments"): Op(lambda w: ("/api/departments", None), PUBLIC),
    ("GET", "/api/me"): Op(lambda w: ("/api/me", None), LOGGED_IN),
    # --- enterprises
    ("GET", "/api/enterprises"): Op(lambda w: ("/api/enterprises", None), LOGGED_IN),
    ("POST", "/api/enterprises"): Op(
        lambda w: ("/api/enterprises", _enterprise_body(w)),
        expect(403, administrator=201, window_clerk=201), audited=True),
    ("GET", "/api/enterprises/{enterprise_id}"): Op(
        lambda w: (f"/api/enterprises/{w.enterprise.pk}", None), expect(200, **NOT_SEEN_BY),
        outside=lambda w: (f"/api/enterprises/{w.outside_enterprise.pk}", None)),
    ("PATCH", "/api/enterprises/{enterprise_id}"): Op(
        lambda w: (f"/api/enterprises/{w.enterprise.pk}", {"address": "青岛市黄岛区泊里镇港城路1号"}),
        expect(403, administrator=200, window_clerk=200, enterprise=200, **NOT_SEEN_BY),
        outside=lambda w: (f"/api/enterprises/{w.outside_enterprise.pk}", {"address": "某地"}), audited=True),
    ("POST", "/api/enterprises/{enterprise_id}/contacts"): Op(
        lambda w: (f"/api/enterprises/{w.enterprise.pk}/contacts", {"name": "赵六", "phone": "0532-88888888"}),
        expect(403, administrator=201, window_clerk=201, enterprise=201, commissioner=201, **NOT_SEEN_BY),
        outside=lambda w: (f"/api/enterprises/{w.outside_enterprise.pk}/contacts", {"name": "赵六", "phone": "1"}),
        audited=True),
    # --- projects
    ("GET", "/api/projects"): Op(lambda w: ("/api/projects", None), LOGGED_IN),
    ("POST", "/api/projects"): Op(
        lambda w: ("/api/projects", _project_body(w)),
        expect(403, administrator=201, window_clerk=201, steward=201, enterprise=201), audited=True,
        note="the employer unit names another organisation as investor: 403"),
    ("GET", "/api/projects/{project_id}"): Op(
        lambda w: (f"/api/projects/{w.project.pk}", None), expect(200, **NOT_SEEN_BY),
        outside=lambda w: (f"/api/projects/{w.outside_project.pk}", None)),
    ("PATCH", "/api/projects/{project_id}"): Op(
        lambda w: (f"/api/projects/{w.project.pk}", {"stage": "approval"}),
        expect(403, administrator=200, window_clerk=200, steward=200, **NOT_SEEN_BY),
        outside=lambda w: (f"/api/projects/{w.outside_project.pk}", {"stage": "approval"}), audited=True),
    ("POST", "/api/projects/{project_id}/land-certificate"): Op(
        lambda w: (f"/api/projects/{w.project.pk}/land-certificate", LAND),
        expect(403, administrator=200, window_clerk=200, steward=200, **NOT_SEEN_BY),
        outside=lambda w: (f"/api/projects/{w.outside_project.pk}/land-certificate", LAND), audited=True),
    # --- web
    ("GET", "/api/summary"): Op(lambda w: ("/api/summary", None), PUBLIC),
    # --- catalog (onestop/catalog/api.py): reads public, writes and import administrators, export staff
    ("GET", "/api/catalog/matters"): Op(lambda w: ("/api/catalog/matters", None), PUBLIC),
    ("GET", "/api/catalog/matters/{code}"): Op(lambda w: (f"/api/catalog/matters/{MATTER}", None), PUBLIC),
    ("GET", "/api/catalog/bundles"): Op(lambda w: ("/api/catalog/bundles", None), PUBLIC),
    ("GET", "/api/catalog/bundles/{code}"): Op(lambda w: (f"/api/catalog/bundles/{BUNDLE}", None), PUBLIC),
    ("GET", "/api/catalog/export"): Op(lambda w: ("/api/catalog/export?format=json", None),
                                       expect(200, **{r: 403 for r in APPLICANTS})),
    ("POST", "/api/catalog/matters"): Op(lambda w: ("/api/catalog/matters", _matter_body(w, "MX-002")),
                                         expect(403, administrator=201), audited=True),
    ("PATCH", "/api/catalog/matters/{code}"): Op(
        lambda w: (f"/api/catalog/matters/{MATTER}", {"name": "企业投资项目备案（改）"}), expect(403, administrator=200),
        audited=True),
    ("POST", "/api/catalog/bundles"): Op(
        lambda w: ("/api/catalog/bundles", {"code": "MXB-2", "name": "企业开办一件事",
                                            "stages": [{"name": "企业登记注册", "promised_limit": 1, "matters": [MATTER]}]}),
        expect(403, administrator=201), audited=True),
    ("PATCH", "/api/catalog/bundles/{code}"): Op(
        lambda w: (f"/api/catalog/bundles/{BUNDLE}", {"description": "从立项到竣工验收"}), expect(403, administrator=200),
        audited=True),
    ("POST", "/api/catalog/import"): Op(lambda w: ("/api/catalog/import", _catalogue_file()), expect(403, administrator=200)),
    # --- worktime (onestop/worktime/api.py): the official calendar is public
    ("GET", "/api/worktime/deadline"): Op(lambda w: ("/api/worktime/deadline?start=2026-09-30&days=5", None), PUBLIC),
    ("GET", "/api/worktime/calendar"): Op(lambda w: ("/api/worktime/calendar?year=2026", None), PUBLIC),
}


# --- seals (onestop/seals/api.py): see matrix_seals for the objects and the reasoning
TABLE.update(matrix_seals.entries(Op, expect, PUBLIC, LOGGED_IN, FILES, APPLICANTS))


def _app_matrices() -> list[Any]:
    """Apps may contribute their own entries in `onestop/<app>/tests/matrix.py`, defining
    `entries(m) -> {(method, path): m.Op(...)}` (m is this module: Op, expect, PUBLIC, LOGGED_IN, FILES, ANON...)
    and optionally `build(w)`, called once with the world (store what you need on `w`)."""
    import importlib

    from django.conf import settings

    found = []
    for app in settings.INSTALLED_APPS:
        if app.startswith("onestop.") and app != "onestop.org":
            try:
                found.append(importlib.import_module(f"{app}.tests.matrix"))
            except ModuleNotFoundError as exc:
                if exc.name not in (f"{app}.tests", f"{app}.tests.matrix"):
                    raise
    return found


APP_MATRICES = _app_matrices()
for _module in APP_MATRICES:
    TABLE.update(_module.entries(sys.modules[__name__]))


@functools.lru_cache(maxsize=1)
def _schema() -> frozenset[tuple[str, str]] | Exception:
    from onestop.api import api

    try:
        paths = api.get_openapi_schema()["paths"]
    except Exception as exc:  # noqa: BLE001 - remembered, so a broken schema is computed once
        return exc
    return frozenset((method.upper(), path) for path, ops in paths.items() for method in ops)


def schema_operations() -> frozenset[tuple[str, str]]:
    """Every (method, path) of the OpenAPI schema; raises what generating the schema raised."""
    found = _schema()
    if isinstance(found, Exception):
        raise found
    return found


def _schema_or_fail() -> frozenset[tuple[str, str]]:
    try:
        return schema_operations()
    except Exception as exc:  # noqa: BLE001 - say which, plainly
        pytest.fail(f"/api/openapi.json cannot be generated, so the operations cannot be enumerated: {exc!r}")


def test_every_api_operation_has_an_expectation():
    missing = sorted(_schema_or_fail() - set(TABLE))
    assert not missing, (
        "These API operations have no entry in the permission matrix. Decide who may call each one and add it "
        "to TABLE in onestop/org/tests/test_permission_matrix.py or to entries(m) in onestop/<app>/tests/matrix.py "
        "(see _app_matrices), e.g.:\n"
        + "\n".join(f'    ("{m}", "{p}"): Op(lambda w: ("{p}", None), expect(403, administrator=200)),'
                    for m, p in missing)
    )


def test_matrix_has_no_stale_entries():
    stale = sorted(set(TABLE) - _schema_or_fail())
    assert not stale, f"Entries for operations that no longer exist: {stale}"


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole module, inside an outer transaction rolled back at the end; each test runs in
    its own savepoint (pytest-django's `db`), so what a test writes is gone before the next one."""
    from onestop.testing import place_tree

    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(SEALS_DIR=str(tmp_path_factory.mktemp("seals"))):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            w = world(place_tree())
            _catalogue(w)
            w.seals = matrix_seals.build(w)
            for module in APP_MATRICES:
                if hasattr(module, "build"):
                    module.build(w)
            yield w
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _call(client, method: str, url: str, body: Any):
    if isinstance(body, dict) and FILES in body:
        return getattr(client, method.lower())(url, data=body[FILES])
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method.lower())(url, **kwargs)


def _login(client, w: World, role: str) -> None:
    if role != ANON:
        client.force_login(w.accounts[role])


CASES = [pytest.param(key, role, id=f"{key[0]} {key[1]} as {role}") for key in TABLE for role in ROLES]


@pytest.mark.parametrize(("key", "role"), CASES)
def test_role_against_operation(key, role, shared_world, db, client):
    try:
        if key not in schema_operations():
            pytest.skip("operation not in the schema (see test_matrix_has_no_stale_entries)")
    except pytest.skip.Exception:
        raise
    except Exception:  # noqa: BLE001 - a broken schema is reported by test_every_api_operation_has_an_expectation
        pass
    op = TABLE[key]
    w = shared_world
    _login(client, w, role)
    url, body = op.request(w)
    events = Event.objects.count()
    response = _call(client, key[0], url, body)
    want = op.expected[role]
    assert response.status_code == want, (
        f"{key[0]} {url} as {role}: expected {want}, got {response.status_code}: {response.content[:400]!r}")
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith("application/json"):
        payload = response.json()
        assert {"error", "message", "fields"} <= set(payload), payload
        assert set(payload["message"]) == {"zh", "en"}
    if op.audited:
        written = Event.objects.count() - events
        assert written >= 1 if response.status_code < 300 else written == 0


OUTSIDE = [pytest.param(key, role, id=f"{key[0]} {key[1]} outside as {role}")
           for key, op in TABLE.items() if op.outside for role in Role.values]


@pytest.mark.parametrize(("key", "role"), OUTSIDE)
def test_object_outside_the_scope_is_not_found(key, role, shared_world, db, client):
    op = TABLE[key]
    w = shared_world
    _login(client, w, role)
    url, body = op.outside(w)
    events = Event.objects.count()
    response = _call(client, key[0], url, body)
    want = op.expected[Role.ADMINISTRATOR] if role == Role.ADMINISTRATOR else 404
    assert response.status_code == want, f"{key[0]} {url} as {role}: {response.status_code} {response.content[:300]!r}"
    if want == 404:
        assert response.json()["error"] == "not_found"
        assert Event.objects.count() == events
