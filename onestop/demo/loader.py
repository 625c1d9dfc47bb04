"""Load the demo in one transaction; detect a loaded demo; list its accounts; digest its data."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from onestop.audit.actions import record
from onestop.catalog.models import Bundle, Material, Matter, Stage
from onestop.demo import accounts, catalog, enterprises, org, places, projects
from onestop.enterprises.models import CommissionerAssignment, Contact, Enterprise, Project
from onestop.org.models import Account, Department, Place, Role, ServiceCentre
from onestop.web.queries import public_summary

PASSWORD = "onestop-demo"
MARKER_PATH = places.DISTRICT[0] + "/"  # the district's place path: present once the demo is loaded


@dataclass
class LoadResult:
    created: bool  # False when the demo was already there and nothing was written
    seconds: float
    counts: dict


class DemoConflict(Exception):
    """The database already holds a district with the demo's code that the demo did not write."""


def is_loaded() -> bool:
    """True when the demo's district is there; DemoConflict when another district holds its code."""
    name = Place.objects.filter(path=MARKER_PATH).values_list("name", flat=True).first()
    if name is not None and name != places.DISTRICT[1]:
        raise DemoConflict(f"place {MARKER_PATH!r} exists as {name!r}, not the demo's {places.DISTRICT[1]!r}")
    return name is not None


def load() -> LoadResult:
    """Write the whole demo, or nothing if it is already loaded (idempotent)."""
    started = time.perf_counter()
    with transaction.atomic():
        if is_loaded():
            return LoadResult(False, time.perf_counter() - started, public_summary())
        tree = places.build()
        organisation = org.build(tree)
        catalog.build(organisation)
        orgs = enterprises.build(tree)
        people = accounts.build(tree, organisation, orgs, make_password(PASSWORD))
        projects.build(tree, orgs, catalog.project_landing_bundle(), people.of(Role.STEWARD))
        projects.assign_commissioners(orgs, people.of(Role.COMMISSIONER))
        counts = {**public_summary(), "accounts": len(people.all),
                  "commissioner_assignments": CommissionerAssignment.objects.count()}
        record(("demo", "load"), "demo.loaded", None, after=counts)
    return LoadResult(True, time.perf_counter() - started, counts)


def load_histories() -> dict[str, object]:
    """The year of activity on top of the base demo, each app's own history loader (each idempotent):
    applications (approvals), stewardship (stewards, feedback), help requests and demands (outreach).
    Kept apart from `load()` so tests of the base data stay fast."""
    from onestop.approvals.demo import load_history as approvals_history
    from onestop.outreach.demo import load_history as outreach_history
    from onestop.stewards.demo import load_history as stewards_history

    timings: dict[str, object] = {}
    for name, run in (("approvals", approvals_history), ("stewards", stewards_history),
                      ("outreach", outreach_history)):
        started = time.perf_counter()
        run()
        timings[name] = round(time.perf_counter() - started, 1)
    return timings


def shown_accounts() -> list[dict]:
    """One demo account per role: username, role, what it is attached to."""
    found = {a.username: a for a in Account.objects.filter(username__in=accounts.SHOWN).select_related(
        "department", "service_centre", "place", "organisation")}
    rows = []
    for username in accounts.SHOWN:
        a = found.get(username)
        if a is None:
            continue
        attached = a.organisation or a.department or a.service_centre or a.place
        rows.append({"username": a.username, "role": a.role, "role_label": str(a.get_role_display()),
                     "name": a.display_name, "attached": str(attached) if attached else ""})
    return rows


# What the digest covers: every demo table by natural keys (never ids, dates of insertion or hashes).
DIGEST = (
    (Place, ("path", "kind", "name", "latitude", "longitude")),
    (ServiceCentre, ("name", "level", "place__path", "address", "phone")),
    (Department, ("code", "name", "hall_role", "place__path", "phone")),
    (Matter, ("code", "name", "department__code", "legal_limit", "promised_limit", "limit_unit", "lowest_level",
              "source", "legal_basis", "form_fields")),
    (Material, ("matter__code", "position", "name", "required", "may_defer", "may_commit")),
    (Bundle, ("code", "name", "description")),
    (Stage, ("bundle__code", "position", "name", "promised_limit", "matters__code")),
    (Enterprise, ("credit_code", "kind", "name", "legal_representative", "address", "place__path", "industry",
                  "registered_on", "tags")),
    (Contact, ("enterprise__credit_code", "name", "phone", "title")),
    (Account, ("username", "role", "display_name", "email", "phone", "department__code", "service_centre__name",
               "place__path", "organisation__credit_code", "is_staff", "is_superuser")),
    (Project, ("code", "name", "investor__credit_code", "place__path", "address", "investment", "industry",
               "land_status", "land_certificate_no", "land_certificate_on", "stage", "bundle__code",
               "lead_steward__username", "description", "landed_on")),
    (CommissionerAssignment, ("commissioner__username", "enterprise__credit_code", "since", "until")),
)


def digest() -> str:
    """A SHA-256 over every demo row, independent of ids, insertion order and database engine."""
    h = hashlib.sha256()
    for model, fields in DIGEST:
        rows = sorted(json.dumps(list(r), sort_keys=True, default=str, ensure_ascii=False)
                      for r in model.objects.values_list(*fields))
        h.update(f"{model._meta.label}:{len(rows)}\n".encode())
        for row in rows:
            h.update(row.encode() + b"\n")
    return h.hexdigest()
