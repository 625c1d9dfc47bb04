"""An administrator publishes a year (file import or directly): all or nothing, open clocks recomputed,
one audit event naming the calendar version and how many clocks changed, every process sees the change."""
import io
from datetime import date

import pytest
from openpyxl import Workbook

from onestop.audit.models import Event
from onestop.errors import Forbidden, InvalidInput
from onestop.testing import account
from onestop.worktime import actions, calendar_actions, workdays
from onestop.worktime.actions import events_of
from onestop.worktime.clock import replay, stored_values
from onestop.worktime.models import CalendarDay, CalendarVersion, CalendarYear
from onestop.worktime.tests.helpers import at, midnight_after

pytestmark = pytest.mark.django_db

# A 2027 schedule for the tests (not the State Council's: made up so the effect is easy to follow).
CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-02-06,休,春节
2027-02-08,holiday,春节
2027-02-20,班,春节
"""


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


def _calendar_events():
    return Event.objects.filter(chain__aggregate_type="worktime.Calendar", action="worktime.calendar_changed")


def test_importing_a_year_recomputes_the_open_clocks_touching_it_with_one_audit_event(clocks, admin_user,
                                                                                      django_capture_on_commit_callbacks):
    touching = actions.start_clock(clocks(name="touching"), limit_days=10, at=at(2026, 12, 21))
    assert touching.due_at == midnight_after(date(2027, 1, 4)) and touching.provisional  # weekend rule
    before_2027 = actions.start_clock(clocks(name="2026 only"), limit_days=3, at=at(2026, 12, 1))
    stopped = actions.start_clock(clocks(name="stopped"), limit_days=10, at=at(2026, 12, 21))
    actions.stop_clock(stopped, at=at(2026, 12, 22))
    version = CalendarVersion.current().number

    with django_capture_on_commit_callbacks(execute=True):
        change = calendar_actions.import_calendar(_csv(CSV_2027), "2027.csv", admin_user, notice="测试通知")

    assert change.version == version + 1 and change.years == (2027,)
    assert (change.clocks_recomputed, change.clocks_changed) == (1, 1)
    touching.refresh_from_db()
    assert touching.due_at == midnight_after(date(2027, 1, 5)) and not touching.provisional  # 01-01 is 元旦 now
    assert touching.calendar_version == change.version
    assert stored_values(touching) == replay(events_of(touching), workdays.current())
    before_2027.refresh_from_db()
    assert before_2027.calendar_version == version  # untouched
    events = _calendar_events()
    assert events.count() == 1
    after = events.get().after
    assert (after["version"], after["clocks_changed"], after["years"]) == (version + 1, 1, [2027])
    assert CalendarYear.objects.get(year=2027).published
    assert workdays.current().version == version + 1 and not workdays.current().is_workday(date(2027, 1, 1))
    assert workdays.current().is_workday(date(2027, 2, 20))


def test_a_bad_file_names_every_bad_row_and_imports_nothing(admin_user):
    bad = CSV_2027 + "2027-13-01,holiday,错\n2027-03-03,班,周三\n2027-01-01,holiday,重复\n2027-04-05,vacation,清明\n2027-05-01,holiday,\n"
    version = CalendarVersion.current().number
    with pytest.raises(InvalidInput) as err:
        calendar_actions.import_calendar(_csv(bad), "2027.csv", admin_user)
    assert set(err.value.fields) == {"row 8", "row 9", "row 10", "row 11", "row 12"}
    assert "weekday" in err.value.fields["row 9"] and "twice" in err.value.fields["row 10"]
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert CalendarVersion.current().number == version and not _calendar_events().exists()


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("2027.txt", b"date,kind,name\n", "must be .csv or .xlsx"),
    ("2027.csv", b"day,type\n2027-01-01,holiday\n", "columns"),
    ("2027.csv", b"date,kind,name\n", "no rows"),
    ("2027.xlsx", b"not a zip file", "cannot be read"),
])
def test_an_unreadable_file_is_an_error_on_the_file(admin_user, name, content, problem):
    with pytest.raises(InvalidInput) as err:
        calendar_actions.import_calendar(io.BytesIO(content), name, admin_user)
    assert problem in err.value.fields["file"]


def test_an_excel_file_imports_like_a_csv_one(admin_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "名称"])
    sheet.append([date(2028, 1, 1), "休", "元旦"])
    sheet.append(["2028-01-29", "班", "春节"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    change = calendar_actions.import_calendar(data, "2028.xlsx", admin_user)
    assert change.years == (2028,)
    assert list(CalendarDay.objects.filter(date__year=2028).values_list("date", "kind", "name")) == [
        (date(2028, 1, 1), "holiday", "元旦"), (date(2028, 1, 29), "workday", "春节")]


def test_only_an_administrator_changes_the_calendar(db):
    with pytest.raises(Forbidden):
        calendar_actions.import_calendar(_csv(CSV_2027), "2027.csv", account("resident"))
    with pytest.raises(Forbidden):
        calendar_actions.replace_year(2027, [], None)


def test_replacing_a_published_year_changes_its_deadlines(clocks, admin_user, django_capture_on_commit_callbacks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 2, 13))
    assert clock.due_at == midnight_after(date(2026, 2, 27))
    rows = [(d.date, d.kind, d.name) for d in CalendarDay.objects.filter(date__year=2026) if d.date != date(2026, 2, 14)]
    with django_capture_on_commit_callbacks(execute=True):
        change = calendar_actions.replace_year(2026, rows, admin_user, reason="02-14 not a working day (test)")
    assert change.clocks_changed == 1
    clock.refresh_from_db()
    assert clock.due_at == midnight_after(date(2026, 2, 28))  # 24..27 and 02-28, the other working Saturday
    assert workdays.deadline(date(2026, 2, 13), 5) == date(2026, 2, 28)


def test_withdrawing_a_year_makes_it_provisional(clocks, admin_user, django_capture_on_commit_callbacks):
    clock = actions.start_clock(clocks(), limit_days=5, at=at(2026, 2, 13))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_actions.set_published(2026, False, admin_user)
    clock.refresh_from_db()
    assert clock.provisional and clock.due_at == midnight_after(date(2026, 2, 20))  # weekend rule only


def test_another_process_sees_a_change_at_its_next_version_check(admin_user, monkeypatch):
    """A change made elsewhere (its on-commit hook never runs here) is picked up by the version check,
    which runs at most once a CHECK_SECONDS (1 s): here first never, then at every call."""
    assert workdays.CHECK_SECONDS == 1.0
    monkeypatch.setattr(workdays, "CHECK_SECONDS", 3600.0)
    assert workdays.current().is_workday(date(2027, 1, 1))
    calendar_actions.import_calendar(_csv(CSV_2027), "2027.csv", admin_user)  # the "other process"
    assert workdays.current().is_workday(date(2027, 1, 1))  # not checked yet: still the cached tables
    assert workdays.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
    monkeypatch.setattr(workdays, "CHECK_SECONDS", 0.0)
    assert workdays.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert not workdays.current().is_workday(date(2027, 1, 1))
    assert workdays.current().token == CalendarVersion.current().token
