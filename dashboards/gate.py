"""The password gate of a dashboard served beyond this machine (PAINRCM_DASHBOARD_PASSWORD).

Guessing is throttled per client address: the first FREE_FAILURES wrong passwords cost
nothing, each further one makes the client wait twice as long before the next try (from
BASE_DELAY up to MAX_DELAY seconds), and LOCKOUT_FAILURES wrong passwords in a row lock the
client out for LOCKOUT_SECONDS. While a client waits, its tries are refused unchecked (the
right password too). The count lives in this server process, shared by every browser session
(a new tab does not start afresh), and is cleared by a right password. Every attempt is
logged with the client address and the outcome, never the text entered.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

FREE_FAILURES = 3
BASE_DELAY = 2.0
MAX_DELAY = 60.0
LOCKOUT_FAILURES = 10
LOCKOUT_SECONDS = 15 * 60.0

log = logging.getLogger("painrcm.dashboard.gate")
if not log.handlers:  # Streamlit configures its own loggers only: ours goes to stderr
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


@dataclass
class _Client:
    failures: int = 0
    blocked_until: float = 0.0


class Throttle:
    """Wrong-password counts and waits per client, safe across Streamlit's threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds before this client may try again (0: now)."""
        with self._lock:
            state = self._clients.get(client)
            return max(0.0, state.blocked_until - self._clock()) if state else 0.0

    def failed(self, client: str) -> tuple[int, float]:
        """Count a wrong password; (failures in a row, seconds to wait now)."""
        with self._lock:
            state = self._clients.setdefault(client, _Client())
            state.failures += 1
            if state.failures >= LOCKOUT_FAILURES:
                delay = LOCKOUT_SECONDS
            elif state.failures > FREE_FAILURES:
                delay = min(MAX_DELAY, BASE_DELAY * 2 ** (state.failures - FREE_FAILURES - 1))
            else:
                delay = 0.0
            state.blocked_until = self._clock() + delay
            return state.failures, delay

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)


THROTTLE = Throttle()


def client_address() -> str:
    """The browser's address as the server sees it (Streamlit says None for this machine)."""
    try:
        address = st.context.ip_address
    except Exception:  # no request context (e.g. a bare script run)
        return "unknown"
    if address is None:
        return "this machine"
    return address if isinstance(address, str) else "unknown"


def authorised() -> bool:
    """True when no password is set or this session gave it; otherwise draw the gate."""
    secret = os.environ.get("PAINRCM_DASHBOARD_PASSWORD", "")
    if not secret or st.session_state.get("_painrcm_authorised"):
        return True
    st.title("painrcm")
    entered = st.text_input("Password", type="password", key="_painrcm_password")
    if not entered:
        return False
    client = client_address()
    waiting = THROTTLE.wait(client)
    if waiting > 0:
        log.warning("dashboard password attempt from %s refused unchecked: waiting", client)
        st.error(
            f"Too many wrong passwords from this address: try again in {math.ceil(waiting)} s."
        )
        return False
    # The same text is checked once: a rerun (any click) must not count as another guess.
    fingerprint = hashlib.sha256(entered.encode()).hexdigest()
    if st.session_state.get("_painrcm_checked") == fingerprint:
        st.error("Wrong password.")
        return False
    if hmac.compare_digest(entered.encode(), secret.encode()):
        THROTTLE.succeeded(client)
        log.info("dashboard password accepted from %s", client)
        st.session_state["_painrcm_authorised"] = True
        st.rerun()
    st.session_state["_painrcm_checked"] = fingerprint
    failures, delay = THROTTLE.failed(client)
    log.warning("wrong dashboard password from %s (%d in a row)", client, failures)
    st.error(
        "Wrong password." + (f" Wait {math.ceil(delay)} s before the next try." if delay else "")
    )
    return False
