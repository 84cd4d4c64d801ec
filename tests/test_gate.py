"""The dashboard password gate throttles guesses per client (issue #16.6)."""

from __future__ import annotations

import logging

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import gate
from painrcm.paths import dashboards_dir

APP = dashboards_dir() / "app.py"
SECRET = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_backoff_then_lockout_then_reset():
    clock = Clock()
    throttle = gate.Throttle(clock)
    waits = [throttle.failed("10.0.0.9")[1] for _ in range(gate.LOCKOUT_FAILURES)]
    assert waits[: gate.FREE_FAILURES] == [0.0] * gate.FREE_FAILURES
    backoff = waits[gate.FREE_FAILURES : gate.LOCKOUT_FAILURES - 1]
    assert backoff == sorted(backoff) and backoff[0] == gate.BASE_DELAY
    assert backoff[1] == 2 * gate.BASE_DELAY and max(backoff) <= gate.MAX_DELAY
    assert waits[-1] == gate.LOCKOUT_SECONDS
    assert throttle.wait("10.0.0.9") == gate.LOCKOUT_SECONDS
    assert throttle.wait("10.0.0.10") == 0  # per client
    clock.now += gate.LOCKOUT_SECONDS
    assert throttle.wait("10.0.0.9") == 0
    throttle.succeeded("10.0.0.9")
    assert throttle.failed("10.0.0.9") == (1, 0.0)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(gate, "THROTTLE", gate.Throttle(fake))
    return fake


@pytest.fixture
def gate_log():
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    gate.log.addHandler(handler)
    yield records
    gate.log.removeHandler(handler)


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PAINRCM_DASHBOARD_PASSWORD", SECRET)
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    return app


def _guess(at: AppTest, text: str) -> str:
    at.text_input(key="_painrcm_password").set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return " ".join(e.value for e in at.error)


def _authorised(at: AppTest) -> bool:
    return (
        bool(at.session_state["_painrcm_authorised"])
        if "_painrcm_authorised" in (at.session_state)
        else False
    )


def test_thirty_fast_guesses_do_not_open_the_gate(at, clock, gate_log):
    errors = [_guess(at, f"guess-{i}") for i in range(30)]
    assert "Wrong password." in errors[0]
    assert all("Too many wrong passwords" in e for e in errors[gate.FREE_FAILURES + 1 :])
    assert "Too many wrong passwords" in _guess(at, SECRET)  # the right one, too fast
    assert not _authorised(at)
    # only the guesses actually checked were counted; the rest were refused unchecked
    wrong = [r for r in gate_log if "wrong dashboard password" in r.getMessage()]
    assert len(wrong) == gate.FREE_FAILURES + 1
    assert len({r.args[0] for r in gate_log}) == 1  # one client: its address in every line
    logged = " ".join(r.getMessage() for r in gate_log)
    assert "guess-" not in logged and SECRET not in logged


def test_lockout_after_repeated_failures_then_the_right_password(at, clock, gate_log):
    for i in range(gate.LOCKOUT_FAILURES):
        clock.now += gate.MAX_DELAY  # patient guessing: every wait sat out
        _guess(at, f"guess-{i}")
    clock.now += gate.MAX_DELAY
    assert "Too many wrong passwords" in _guess(at, SECRET)
    assert not _authorised(at)
    clock.now += gate.LOCKOUT_SECONDS
    at.run()  # the right password is still typed in: checked now
    assert _authorised(at)
    assert at.title[0].value != "painrcm"
    accepted = [r for r in gate_log if "accepted" in r.getMessage()]
    assert len(accepted) == 1 and SECRET not in accepted[0].getMessage()


def test_a_rerun_is_not_another_guess(at, clock, gate_log):
    _guess(at, "guess-a")
    for _ in range(5):
        at.run()
    assert len([r for r in gate_log if "wrong dashboard password" in r.getMessage()]) == 1
