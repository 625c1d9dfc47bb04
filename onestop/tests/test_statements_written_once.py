"""`onestop.sql`: statements written once from the models' metadata read and write exactly what the ORM
would, on SQLite and on PostgreSQL, inside the caller's transaction and through Django's execute wrappers."""
from __future__ import annotations

from datetime import date, datetime, timezone as tz

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from onestop import sql
from onestop.approvals.builders import build
from onestop.approvals.models import Application
from onestop.catalog.models import Stage
from onestop.enterprises.models import Project
from onestop.worktime.models import ClockEvent

pytestmark = pytest.mark.django_db

EVENT = ("clock_type", "clock_id", "seq", "kind", "at", "day", "days", "note")
AT = datetime(2026, 3, 2, 1, 30, 15, 123456, tzinfo=tz.utc)


def test_insert_many_stores_each_row_in_order_with_the_other_columns_at_their_defaults():
    rows = [("approvals.Task", 7, k, "start", AT, date(2026, 3, 2), 5 + k, f"第{k}条") for k in (1, 2, 3)]
    ids = [pk for (pk,) in sql.insert_many(ClockEvent, EVENT, rows)]
    stored = {e.pk: e for e in ClockEvent.objects.filter(pk__in=ids)}
    assert [stored[pk].seq for pk in ids] == [1, 2, 3]
    first = stored[ids[0]]
    assert (first.at, first.day, first.days, first.note) == (AT, date(2026, 3, 2), 6, "第1条")
    assert (first.unit, first.reason, first.legal_days, first.actor_id) == ("", "", None, None)  # defaults


def test_insert_many_of_no_rows_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert sql.insert_many(ClockEvent, EVENT, []) == []
    assert len(queries) == 0


def test_json_and_times_written_by_update_read_back_as_the_orm_reads_them():
    w = build("S")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    names = ("form_data", "accepted_at", "state")
    changed = sql.execute(sql.update(Application, names, ("id", "state")),
                          [*sql.prep(Application, names, [{"企业名称": "海格尔"}, AT, "in_review"]), app.pk, "submitted"])
    assert changed == 1
    app.refresh_from_db()
    assert (app.form_data, app.accepted_at, app.state) == ({"企业名称": "海格尔"}, AT, "in_review")
    read = sql.reader(Application, names)
    [row] = sql.fetch(sql.select(Application, names), [app.pk])
    assert read(row) == tuple(Application.objects.filter(pk=app.pk).values_list(*names).get())


def test_an_update_whose_condition_no_longer_holds_changes_nothing():
    w = build("U")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    assert sql.execute(sql.update(Application, ("state",), ("id", "state")), ["issued", app.pk, "approved"]) == 0
    app.refresh_from_db()
    assert app.state == "submitted"


def test_get_reads_the_row_and_its_related_rows_like_select_related():
    w = build("G")
    project = sql.get(Project, w.project.pk, related=("investor", "company", "place"))
    expected = Project.objects.select_related("investor", "place").get(pk=w.project.pk)
    assert [getattr(project, f.attname) for f in Project._meta.concrete_fields] == \
        [getattr(expected, f.attname) for f in Project._meta.concrete_fields]
    with CaptureQueriesContext(connection) as queries:
        assert project.investor.name == expected.investor.name
        assert project.place.name == expected.place.name
        assert project.company is None  # a null FK joins to no row
    assert len(queries) == 0
    assert sql.get(Project, 10 ** 9) is None


def test_get_refuses_a_malformed_id_as_the_orm_does():
    with pytest.raises(ValueError, match="expected a number"):
        sql.get(Stage, "abc")


def test_build_defers_every_field_it_was_not_given():
    w = build("B")
    stage = w.stages[0]
    made = sql.build(Stage, ("id", "name"), (stage.pk, stage.name))
    assert made.get_deferred_fields() == {f.attname for f in Stage._meta.concrete_fields} - {"id", "name"}
    assert made.position == stage.position  # loaded on first use, as with only()


def test_an_instance_read_is_the_one_the_orm_makes_saved_in_its_database_and_unchanged():
    w = build("B")
    made = sql.get(Project, w.project.pk, related=("investor",))
    orm = Project.objects.select_related("investor").get(pk=w.project.pk)
    for mine, theirs in ((made, orm), (made.investor, orm.investor)):
        assert {k: v for k, v in vars(mine).items() if k != "_state"} == \
            {k: v for k, v in vars(theirs).items() if k != "_state"}
        assert (mine._state.adding, mine._state.db) == (False, theirs._state.db)
    made.name = "改名"
    made.save(update_fields=["name"])  # an UPDATE of a row known to exist, as for the ORM's instance
    assert Project.objects.get(pk=w.project.pk).name == "改名"


def test_an_instance_is_made_through_the_models_init_while_an_init_signal_listens():
    w = build("B")
    stage = w.stages[0]
    heard = []

    def listener(sender, instance, **kwargs):  # noqa: ANN001, ANN003
        heard.append(instance)

    post_init.connect(listener, sender=Stage)
    try:
        made = sql.build(Stage, ("id", "name"), (stage.pk, stage.name))
    finally:
        post_init.disconnect(listener, sender=Stage)
    assert len(heard) == 1 and heard[0] is made and made.name == stage.name
    sql.build(Stage, ("id", "name"), (stage.pk, stage.name))
    assert len(heard) == 1  # no listener, no __init__


def test_a_locking_read_says_for_update_where_the_database_has_it():
    text = sql.select(Stage, ("id",), lock=True)
    assert ("FOR UPDATE" in text) == connection.features.has_select_for_update
    joined = sql.select(Application, ("id", "stage__name"), lock=True)
    if connection.features.has_select_for_update:
        assert joined.endswith(f"FOR UPDATE OF {sql.table(Application)}")  # never the joined rows


def test_statements_pass_through_execute_wrappers_and_roll_back_with_the_transaction():
    seen = []

    def spy(execute, text, params, many, context):
        seen.append(text)
        return execute(text, params, many, context)

    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.execute_wrapper(spy):
            sql.insert_many(ClockEvent, EVENT, [("approvals.Task", 8, 1, "start", AT, date(2026, 3, 2), 5, "")])
        raise RuntimeError("the caller fails after the insert")
    assert len(seen) == 1 and seen[0].startswith("INSERT INTO")
    assert not ClockEvent.objects.filter(clock_type="approvals.Task", clock_id=8).exists()


def test_insert_new_saves_only_the_names_given_and_marks_the_instance_saved():
    event = ClockEvent(clock_type="approvals.Task", clock_id=9, seq=1, kind="start", at=AT, day=date(2026, 3, 2),
                       note="not written")
    sql.insert_new(event, ("clock_type", "clock_id", "seq", "kind", "at", "day"))
    assert event.pk is not None and not event._state.adding
    assert ClockEvent.objects.get(pk=event.pk).note == ""  # left at its default


def test_rows_take_lists_for_in_joined_conditions_several_orderings_and_a_limit():
    rows = [("approvals.Task", 20 + k % 2, k, "start", AT, date(2026, 3, 2), 9 - k, "") for k in range(1, 7)]
    sql.insert_many(ClockEvent, EVENT, rows)
    found = sql.rows(ClockEvent, ("clock_id", "seq"), {"clock_id": [20, 21], "kind": "start"}, order=("clock_id", "seq"))
    assert found == [(20, 2), (20, 4), (20, 6), (21, 1), (21, 3), (21, 5)]
    assert sql.rows(ClockEvent, ("seq",), {"clock_id": 21}, order="days", limit=1) == [(5,)]
    assert sql.rows(ClockEvent, ("seq",), {"clock_id": []}) == []  # an empty list matches nothing, no statement
    w = build("J")
    through = Stage.matters.through
    joined = sql.rows(through, ("matter_id",), {"stage_id": w.stages[0].pk, "matter__active": True}, order="matter__code")
    assert [pk for (pk,) in joined] == list(w.stages[0].matters.filter(active=True).order_by("code").values_list("pk", flat=True))


def test_writes_store_the_row_change_the_other_and_count_it():
    w = build("W")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    event = ClockEvent(clock_type="approvals.Application", clock_id=app.pk, seq=1, kind="start", at=AT,
                       day=date(2026, 3, 2), note="受理")
    with CaptureQueriesContext(connection) as queries:
        changed = sql.Writes(event, EVENT, [(Application, {"state": "in_review"}, {"id": app.pk, "state": "submitted"})]).run()[0]
    assert changed == 1 and len(queries) == (1 if connection.vendor == "postgresql" else 2)
    stored = ClockEvent.objects.get(pk=event.pk)
    assert (stored.clock_id, stored.note, stored.unit, event._state.adding) == (app.pk, "受理", "", False)
    app.refresh_from_db()
    assert app.state == "in_review"


def test_writes_insert_even_when_the_condition_matches_no_row():
    w = build("X")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    event = ClockEvent(clock_type="approvals.Application", clock_id=app.pk, seq=1, kind="start", at=AT,
                       day=date(2026, 3, 2))
    assert sql.Writes(event, EVENT, [(Application, {"state": "issued"}, {"id": app.pk, "state": "approved"})]).run() == [0]
    assert ClockEvent.objects.filter(pk=event.pk).exists()
    app.refresh_from_db()
    assert app.state == "submitted"


def test_writes_count_each_change_in_one_statement_on_postgresql():
    w = build("Y")
    first, second = (Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk,
                                                submitted_at=AT) for _ in range(2))
    event = ClockEvent(clock_type="approvals.Application", clock_id=first.pk, seq=1, kind="start", at=AT,
                       day=date(2026, 3, 2))
    with CaptureQueriesContext(connection) as queries:
        counts = sql.Writes(event, EVENT, [
            (Application, {"state": "in_review", "open_tasks": 3}, {"id": first.pk}),
            (Application, {"state": "issued"}, {"id": second.pk, "state": "approved"}),  # matches no row
        ]).run()
    assert counts == [1, 0] and len(queries) == (1 if connection.vendor == "postgresql" else 3)
    assert ClockEvent.objects.filter(pk=event.pk, clock_id=first.pk).exists()
    assert list(Application.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk").values_list(
        "state", "open_tasks")) == [("in_review", 3), ("submitted", 0)]


def test_a_locked_row_is_read_with_its_log_in_order_and_without_one_before_its_first_entry():
    w = build("Z")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    names = ("id", "state", "stage__name", "created_by__username")
    with transaction.atomic():
        assert sql.locked_with_log(Application, names, app.pk, ClockEvent, ("seq", "kind", "at"), owner="clock_id",
                                   fixed={"clock_type": "approvals.Application"}, order="seq") == (
            (app.pk, "submitted", w.stages[0].name, w.clerk.username), [])
    for seq in (2, 1):
        ClockEvent.objects.create(clock_type="approvals.Application", clock_id=app.pk, seq=seq, kind="start", at=AT,
                                  day=date(2026, 3, 2))
    ClockEvent.objects.create(clock_type="approvals.Task", clock_id=app.pk, seq=3, kind="stop", at=AT,
                              day=date(2026, 3, 2))  # another clock's log with the same id
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        row, log = sql.locked_with_log(Application, names, app.pk, ClockEvent, ("seq", "kind", "at"),
                                       owner="clock_id", fixed={"clock_type": "approvals.Application"}, order="seq",
                                       lock_also=("created_by",))
    assert row == (app.pk, "submitted", w.stages[0].name, w.clerk.username)
    assert log == [(1, "start", AT), (2, "start", AT)]
    assert len(queries) == 1
    if connection.vendor == "postgresql":
        assert queries[0]["sql"].endswith('FOR UPDATE OF "approvals_application", "j_created_by"')
    assert sql.locked_with_log(Application, names, 0, ClockEvent, ("seq",), owner="clock_id",
                               fixed={"clock_type": "approvals.Application"}, order="seq") is None


def test_writes_without_an_insert_make_their_changes_in_one_statement_on_postgresql():
    w = build("V")
    first, second = (Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk,
                                                submitted_at=AT) for _ in range(2))
    with CaptureQueriesContext(connection) as queries:
        changed = sql.Writes(None, (), [
            (Application, {"open_tasks": 2}, {"id": first.pk}),
            (Application, {"state": "in_review"}, {"id": second.pk, "state": "submitted"})]).run()
    assert changed == [1, 1] and len(queries) == (1 if connection.vendor == "postgresql" else 2)
    assert list(Application.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk").values_list(
        "state", "open_tasks")) == [("submitted", 2), ("in_review", 0)]


def test_writes_insert_other_rows_with_the_new_one_in_one_statement_on_postgresql():
    w = build("U")
    app = Application.objects.create(stage=w.stages[0], channel="window", created_by=w.clerk, submitted_at=AT)
    new = ClockEvent(clock_type="approvals.Application", clock_id=app.pk, seq=1, kind="start", at=AT,
                     day=date(2026, 3, 2))
    rows = [("approvals.Task", app.pk, k, "start", AT, date(2026, 3, 2), 5, f"第{k}条") for k in (1, 2)]
    with CaptureQueriesContext(connection) as queries:
        changed = sql.Writes(new, EVENT, [(Application, {"open_tasks": 2}, {"id": app.pk})],
                             inserts=[(ClockEvent, EVENT, rows), (ClockEvent, EVENT, [])]).run()
    assert changed == [1] and len(queries) == (1 if connection.vendor == "postgresql" else 3)
    stored = list(ClockEvent.objects.filter(clock_id=app.pk).order_by("clock_type", "seq").values_list(
        "clock_type", "seq", "note", "unit"))
    assert stored == [("approvals.Application", 1, "", ""), ("approvals.Task", 1, "第1条", ""),
                      ("approvals.Task", 2, "第2条", "")]
    assert new.pk and Application.objects.get(pk=app.pk).open_tasks == 2
