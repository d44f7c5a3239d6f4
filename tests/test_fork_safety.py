"""A background job is a process forked from a web process (Dash's DiskcacheManager) whose other
threads may hold a lock at that moment (a check's turn, a warm-up drawing a chart): the job must
start with each such lock free, or it waits for ever (a check left "checking", and a test run
that never ends while the job lives)."""

from __future__ import annotations

import os
import threading

import pytest

from dashboard import over_time, upload_jobs


@pytest.mark.parametrize(
    ("module", "name"), [(upload_jobs, "_checking"), (over_time, "_drawn_lock")]
)
def test_a_job_forked_while_another_thread_holds_a_lock_can_take_it(module, name):
    taken, done = threading.Event(), threading.Event()

    def hold():
        with getattr(module, name):
            taken.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10)
        child = os.fork()
        if child == 0:  # the job: take the lock, as its work would
            os._exit(0 if getattr(module, name).acquire(timeout=3) else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0, f"{name} still held in the forked job"
    finally:
        done.set()
        holder.join()
