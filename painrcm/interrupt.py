"""SIGTERM (systemd, `kill`, CI) and SIGHUP stop painrcm the way Ctrl+C does: as an exception
in the main thread, so every `finally` runs (the work copy is removed, the lock released) and
a scheduled run records itself as interrupted, instead of the process vanishing mid-write."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """painrcm was asked to stop before it finished. A KeyboardInterrupt, so dbt cancels its
    running queries as it does on Ctrl+C, and `except Exception` clauses let it pass."""


def _raise(signum: int, _frame: object) -> None:
    raise Interrupted(f"stopped by {signal.Signals(signum).name}")


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise Interrupted (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
