"""Writes on separate PostgreSQL connections, for the tests of row locks: released together, or one holding
its rows while another waits for them (or does not)."""

import threading
import time

from django.db import connection, transaction


def together(*writes):
    """Run each write in its own thread and connection, inside a transaction, released at the same moment.

    A write is a function of no argument, called after the barrier; a `prepare` attribute, if any, runs in the
    transaction before it (so both transactions have read what they are about to change). Returns each
    write's outcome: its result, or the exception it raised.
    """
    barrier = threading.Barrier(len(writes))
    outcomes = [None] * len(writes)

    def run(index, write):
        try:
            with transaction.atomic():
                getattr(write, "prepare", lambda: None)()
                barrier.wait(timeout=10)
                outcomes[index] = write()
        except Exception as error:  # an expected refusal; anything else fails the calling test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, write)) for index, write in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung: a lock was never released"
    return outcomes


def waiting_for_a_lock():
    """True once another connection to this database waits for a row lock (up to 10 s)."""
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def _outcome_of(call, outcomes, *, keep_open=None):
    """Run `call` on this thread's own connection and keep its result or exception; with `keep_open` (a pair of
    events), inside a transaction left open, after its first event is set, until its second is."""
    try:
        if keep_open is None:
            outcomes.append(call())
        else:
            with transaction.atomic():
                result = call()
                keep_open[0].set()
                keep_open[1].wait(timeout=15)
            outcomes.append(result)
    except Exception as error:  # the calling test says which outcome it expects
        outcomes.append(error)
    finally:
        connection.close()


def waits_while_held(hold, write, meanwhile=None):
    """Run `hold()` in a transaction kept open, then `write()`, which must wait for a row `hold` locked; call
    `meanwhile()` (if given) while it waits, then let `hold` commit. Returns (hold's outcome, write's outcome),
    each the result or the exception raised."""
    holding, release, held, written = threading.Event(), threading.Event(), [], []
    holder = threading.Thread(target=_outcome_of, args=(hold, held), kwargs={"keep_open": (holding, release)})
    writer = threading.Thread(target=_outcome_of, args=(write, written))
    holder.start()
    try:
        assert holding.wait(timeout=10), "the holding transaction never got its locks"
        writer.start()
        assert waiting_for_a_lock(), "the second write did not wait for the held row"
        if meanwhile is not None:
            meanwhile()
    finally:
        release.set()
        holder.join(timeout=15)
        writer.join(timeout=15)
    assert not holder.is_alive() and not writer.is_alive(), "a thread hung: a lock was never released"
    return held[0], written[0]


def committed_while_held(hold, write):
    """Run `hold()` in a transaction kept open, and meanwhile `write()` in its own: whether `write` committed
    before `hold`'s transaction ended (it did not wait for `hold`'s rows), and `write`'s outcome."""
    holding, release, held, written = threading.Event(), threading.Event(), [], []
    holder = threading.Thread(target=_outcome_of, args=(hold, held), kwargs={"keep_open": (holding, release)})
    writer = threading.Thread(target=_outcome_of, args=(write, written))
    holder.start()
    try:
        assert holding.wait(timeout=10), "the holding transaction never got its locks"
        writer.start()
        writer.join(timeout=5)
        committed = not writer.is_alive()
    finally:
        release.set()
        holder.join(timeout=15)
        writer.join(timeout=15)
    assert not holder.is_alive() and not writer.is_alive(), "a thread hung: a lock was never released"
    return committed, written[0]
