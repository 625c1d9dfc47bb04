"""Concurrent writers: one aggregate's events stay one unbroken chain; different aggregates don't share one."""
import threading

import pytest
from django.db import connection

from onestop.audit.actions import make_checkpoint, record
from onestop.audit.models import Chain, Event
from onestop.audit.verify import verify_trail

WRITERS, EACH = 6, 10


def _run_writers(aggregate_for) -> None:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                record(aggregate_for(n), "test.concurrent", None, after={"writer": n, "i": i})
        except BaseException as exc:  # surfaced below, a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_writers_on_one_aggregate_never_lose_or_duplicate_a_link():
    _run_writers(lambda n: ("x.Shared", "1"))
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    assert verify_trail() == []


@pytest.mark.django_db(transaction=True)
def test_writers_on_different_aggregates_each_get_their_own_chain():
    _run_writers(lambda n: ("x.Own", str(n)))
    assert sorted(Chain.objects.values_list("length", flat=True)) == [EACH] * WRITERS
    checkpoint = make_checkpoint()
    assert len(checkpoint.heads) == WRITERS
    assert verify_trail() == []
