"""Named users of the work queue: a role and an argon2 password hash, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from painrcm.choices import Role
from painrcm.work.db import SYSTEM_ACTOR, users

ROLES = tuple(r.value for r in Role)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


class UnknownUser(ValueError):
    pass


def add_user(engine: Engine, name: str, role: str, password: str) -> User:
    """Create a user, or reset the role and password of an existing one."""
    name = name.strip()
    if not name or len(name) > 100 or name == SYSTEM_ACTOR:
        raise ValueError(f"user name '{name}' is not allowed: 1-100 characters, not 'painrcm'")
    if role not in ROLES:
        raise ValueError(f"role '{role}' is not known: use biller or manager")
    if len(password) < 8:
        raise ValueError("the password must have at least 8 characters")
    hashed = _hasher.hash(password)
    with engine.begin() as con:
        exists = con.execute(sa.select(users.c.name).where(users.c.name == name)).first()
        if exists:
            con.execute(
                users.update().where(users.c.name == name).values(role=role, password_hash=hashed)
            )
        else:
            con.execute(
                users.insert().values(
                    name=name, role=role, password_hash=hashed, created_at=datetime.now(UTC)
                )
            )
    return User(name, role)


def get_user(engine: Engine, name: str) -> User:
    with engine.connect() as con:
        row = con.execute(sa.select(users.c.name, users.c.role).where(users.c.name == name)).first()
    if row is None:
        raise UnknownUser(f"unknown user '{name}': add it with `painrcm users add {name}`")
    return User(row.name, row.role)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as con:
        rows = con.execute(sa.select(users.c.name, users.c.role).order_by(users.c.name)).all()
    return [User(r.name, r.role) for r in rows]


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when the password matches, else None (no hint which part was wrong)."""
    with engine.connect() as con:
        row = con.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        # hash anyway so an unknown name takes as long as a wrong password
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row.name, row.role)
