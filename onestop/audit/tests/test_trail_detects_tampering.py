"""The audit trail: appends chain per aggregate, and `audit verify` names what was altered or removed."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onestop.audit.actions import make_checkpoint, record
from onestop.audit.models import Chain, Event
from onestop.audit.verify import verify_trail

pytestmark = pytest.mark.django_db


def _events(n: int = 3, aggregate=("catalog.Matter", "1")) -> list[Event]:
    return [record(aggregate, "test.changed", None, before={"v": i}, after={"v": i + 1}, reason="why") for i in range(n)]


def test_each_aggregate_has_its_own_chain_numbered_from_one():
    a = _events(2, ("x.A", "1"))
    b = _events(3, ("x.B", "1"))
    assert [e.seq for e in a] == [1, 2] and [e.seq for e in b] == [1, 2, 3]
    assert a[1].prev_hash == a[0].hash and b[0].chain_id != a[0].chain_id
    assert Chain.objects.get(aggregate_type="x.B").length == 3
    assert verify_trail() == []


def test_an_edited_event_is_named():
    events = _events(3)
    Event.objects.filter(pk=events[1].pk).update(reason="rewritten")
    problems = verify_trail()
    assert problems[0].event_id == events[1].pk and problems[0].kind == "altered"


def test_a_deleted_middle_event_is_named():
    events = _events(3)
    Event.objects.filter(pk=events[1].pk).delete()
    problem = verify_trail()[0]
    assert (problem.seq, problem.kind) == (2, "removed")


def test_a_deleted_tail_is_found_by_the_chain_head():
    events = _events(3)
    Event.objects.filter(pk=events[2].pk).delete()
    problem = verify_trail()[0]
    assert (problem.seq, problem.kind) == (3, "removed")


def test_a_deleted_tail_with_a_rewound_head_is_found_by_the_checkpoint():
    events = _events(3)
    make_checkpoint()
    Event.objects.filter(pk=events[2].pk).delete()
    Chain.objects.filter(pk=events[0].chain_id).update(length=2, head_hash=events[1].hash)
    problem = verify_trail()[0]
    assert (problem.seq, problem.kind) == (3, "removed")


def test_checkpoint_covers_only_chains_that_moved():
    _events(1, ("x.A", "1"))
    first = make_checkpoint()
    assert len(first.heads) == 1
    assert make_checkpoint() is None
    _events(1, ("x.B", "1"))
    second = make_checkpoint()
    assert list(second.heads.values())[0][0] == 1 and second.prev_hash == first.hash


def test_verify_command_fails_naming_the_event():
    events = _events(2)
    call_command("audit", "verify")
    Event.objects.filter(pk=events[0].pk).update(after={"v": 99})
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify")


def test_the_event_returned_is_the_event_stored_and_a_chains_times_never_run_backwards():
    events = _events(3, ("x.T", "1"))
    for event in events:
        stored = Event.objects.get(pk=event.pk)
        assert [(getattr(event, f.attname)) for f in Event._meta.concrete_fields] == [
            getattr(stored, f.attname) for f in Event._meta.concrete_fields]
    assert events[0].at <= events[1].at <= events[2].at and events[0].at.utcoffset().total_seconds() == 0


def test_an_event_said_to_be_first_of_a_chain_that_exists_is_appended_to_it():
    before = _events(2, ("x.F", "1"))
    new = record(("x.F", "1"), "test.changed", None, after={"v": 9}, first=True)
    fresh = record(("x.F", "2"), "test.created", None, after={"v": 1}, first=True)
    assert (new.chain_id, new.seq, new.prev_hash) == (before[0].chain_id, 3, before[1].hash)
    assert fresh.seq == 1 and fresh.chain_id != new.chain_id
    assert verify_trail() == []


def test_an_event_without_a_before_stores_no_json_at_all():
    event = record(("x.N", "1"), "test.created", None, after={"v": 1})
    assert Event.objects.filter(pk=event.pk, before__isnull=True, after__v=1).exists()
    assert verify_trail() == []
