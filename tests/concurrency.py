"""Writes released at the same moment on separate PostgreSQL connections, for the tests of row locks."""

import threading

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
