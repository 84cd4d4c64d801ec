"""The work queue: who is on a worklist row, what was done, when to look again.

State lives in its own database (`painrcm.work.db`), apart from the warehouse that every
build replaces: SQLite in WAL mode at `<warehouse>.state.sqlite` by default, PostgreSQL when
PAINRCM_STATE_URL is set. Items are keyed by the mart's natural key (`painrcm.work.keys`), so
state survives every rebuild; the marts stay pure and readers join state at read time
(`painrcm.work.join`). After each published build, `painrcm.work.autoclose` closes the items
that left their mart.
"""
