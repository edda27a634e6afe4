"""Two users firing the same transition at the same moment: exactly one wins.

Needs real row locks, so it runs on PostgreSQL (see the require_postgresql fixture).
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from portal.models import TransitionLog
from portal.roles import Role
from portal.services import record_locked, transition_fire, workflow_start
from portal.workflow import TransitionError
from tests.testapp.models import Ticket

ROUNDS = 10


def fire_together(ticket, actors, *, name, expected_status):
    """Fire from one thread per actor, each on its own connection, released at the same moment."""
    barrier = threading.Barrier(len(actors))
    outcomes = []

    def fire(actor):
        try:
            barrier.wait(timeout=10)
            outcomes.append(transition_fire(ticket, name=name, actor=actor, expected_status=expected_status))
        except Exception as error:  # a TransitionError is expected; anything else fails the round
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung: a lock was never released"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_transitions_exactly_one_fires(require_postgresql, division, make_user, new_ticket):
    officers = [make_user(division, Role.OFFICER), make_user(division, Role.OFFICER)]
    content_type = ContentType.objects.get_for_model(Ticket)

    for round_number in range(ROUNDS):
        ticket = workflow_start(new_ticket(division, title=f"Tiket {round_number}"), actor=officers[0])
        outcomes = fire_together(ticket, officers, name="received", expected_status="received")

        fired = [o for o in outcomes if isinstance(o, Ticket)]
        refused = [o for o in outcomes if isinstance(o, TransitionError)]
        assert (len(fired), len(refused)) == (1, 1), f"round {round_number}: {outcomes!r}"
        assert "diubah oleh pengguna lain" in str(refused[0])

        ticket.refresh_from_db()
        assert ticket.status == "checked"
        logs = TransitionLog.objects.filter(content_type=content_type, object_id=ticket.pk)
        assert list(logs.values_list("from_status", "to_status")) == [("", "received"), ("received", "checked")]
        assert ticket.history.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_transition_in_progress_does_not_hold_up_another_record_of_the_unit(
    require_postgresql, division, make_user, new_ticket
):
    officer = make_user(division, Role.OFFICER)
    first = workflow_start(new_ticket(division, title="Tiket 1"), actor=officer)
    second = workflow_start(new_ticket(division, title="Tiket 2"), actor=officer)
    holding, release = threading.Event(), threading.Event()

    def hold_first():
        try:
            with transaction.atomic():
                with record_locked(first, expected_status="received"):
                    holding.set()
                    release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_first)
    thread.start()
    try:
        assert holding.wait(timeout=10), "the first lock was never taken"
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            with record_locked(second, expected_status="received") as locked:
                assert locked.pk == second.pk
    finally:
        release.set()
        thread.join(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_two_records_numbered_at_once_take_two_numbers(require_postgresql, ticket_service, division, make_user):
    """next_number takes its own lock on the row that orders the series: of two writers at once, the second
    reads the first's number once it commits."""
    from portal.models import next_number
    from tests.concurrency import together

    officer = make_user(division, Role.OFFICER)
    first = workflow_start(Ticket(service=ticket_service, unit=division, title="Pertama"), actor=officer).pk

    def number():
        taken = next_number(Ticket.objects.filter(service=ticket_service), lock=ticket_service, field="pk")
        # The ticket's id stands for its number here: without the lock both writers would read the same last id.
        workflow_start(Ticket(pk=taken, service=ticket_service, unit=division, title=f"Nomor {taken}"), actor=officer)
        return taken

    outcomes = together(number, number)
    assert sorted(outcomes) == [first + 1, first + 2], outcomes
