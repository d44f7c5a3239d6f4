"""A worker process for test_shared_tables: ``python shared_table_worker.py WHERE LOG START``
asks for one slow table through ``dashboard.memo`` sharing with the other workers (WHERE: a
Redis URL, or the production command's shared folder), waiting until the time START so that
the workers ask at the same moment; each computation of the table appends a line to LOG. It
prints the table it was given."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(where: str, log: str, start: float) -> None:
    if where.startswith("redis://"):
        os.environ["REDIS_URL"] = where
    from dashboard import memo

    if not where.startswith("redis://"):
        memo.share_folder(Path(where), empty=False)  # the master emptied it before the fork

    @memo.memoized(maxsize=4)
    def slow_table(url: str, version: int) -> dict:
        with open(log, "a") as out:
            out.write(f"{os.getpid()}\n")
        time.sleep(1.0)  # as long as reading and windowing a dataset's figures under load
        return {"computed by": os.getpid(), "url": url, "version": version}

    time.sleep(max(start - time.time(), 0))
    print(slow_table("sqlite:///shared.db", 7)["computed by"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
