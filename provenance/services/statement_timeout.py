"""A bound on what one partner request may cost the database (PostgreSQL's `statement_timeout`).

A partner request sets it on its connection (`partner_statement_timeout`), once: connections are reused
across requests (`CONN_MAX_AGE`) and the following partner requests find it set, at no extra query. Any
other request (the admin, a staff session, an import upload) finds it reset when it starts
(`reset_on_request_started`, connected to `request_started`), so only partner requests are bounded. A new
connection starts with the server's default. Other databases have no such setting: nothing is done there.
"""

from django.db import OperationalError, connection

__all__ = ["is_statement_timeout", "partner_statement_timeout", "reset_on_request_started", "timeout_forget"]

_FLAG = "_partner_statement_timeout_ms"


def partner_statement_timeout(*, milliseconds: int) -> None:
    """Cancel each following statement of this connection after `milliseconds`."""
    if connection.vendor != "postgresql" or getattr(connection, _FLAG, None) == milliseconds:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(milliseconds)}ms"])
    setattr(connection, _FLAG, milliseconds)


def reset_on_request_started(sender, environ=None, **kwargs) -> None:
    """Before a request that does not carry a partner key: back to the server's default timeout."""
    if getattr(connection, _FLAG, None) is None:
        return
    if (environ or {}).get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
        return  # a partner request: it keeps (or sets) the partner timeout
    if connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout TO DEFAULT")
    setattr(connection, _FLAG, None)


def timeout_forget(sender, connection, **kwargs) -> None:
    """A new connection has the server's default (`connection_created`)."""
    setattr(connection, _FLAG, None)


def is_statement_timeout(error: BaseException) -> bool:
    """True when `error` is a statement cancelled by `statement_timeout`."""
    cause = getattr(error, "__cause__", None)
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) == "57014"
