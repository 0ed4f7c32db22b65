"""Who is asking, and the shared store every page saves to (or why saving is off).

Identity comes from a trusted reverse-proxy header when ``ADVISOR_USER_HEADER`` names one (read
through ``st.context.headers``), else from Streamlit's own login (``st.login``, OIDC) when it is
configured, else it is ``anonymous``. The store is opened once per process and shared by every
session; when it cannot be opened the app keeps recommending, saving is turned off with the
reason, and the reason is logged once (one line, no traceback). A failed open is retried after
``RETRY_AFTER_S`` so a database that comes back is picked up without a restart.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from advisor.errors import StoreError
from advisor.render.markdown import md_escape
from advisor.store import ANONYMOUS, SQLStore, clean_author, open_store, rule_edit_of

USER_HEADER_ENV = "ADVISOR_USER_HEADER"
RETRY_AFTER_S = 30.0
LOG = logging.getLogger("advisor.store")


def request_headers() -> dict[str, str]:
    """The headers of the request that opened this session (empty in tests and scripts)."""
    return dict(st.context.headers)


def current_user() -> str:
    """Who is using this session: the proxy's header, the OIDC login, or ``anonymous``.

    Why only a configured header: any client can send ``X-Forwarded-Email``; the header is
    trusted only when an operator says a proxy sets it (see docs/deploy.md).
    """
    header = os.environ.get(USER_HEADER_ENV, "").strip()
    if header:
        wanted = header.lower()
        value = next((v for k, v in request_headers().items() if k.lower() == wanted), None)
        return clean_author(value)
    if st.user.get("is_logged_in"):
        return clean_author(st.user.get("email") or st.user.get("name"))
    return ANONYMOUS


def login_controls() -> None:
    """A sidebar sign-in when Streamlit's own login (``[auth]`` in secrets.toml) is configured.

    Without that configuration ``st.user`` has no ``is_logged_in`` and nothing is shown.
    """
    if os.environ.get(USER_HEADER_ENV, "").strip() or "is_logged_in" not in st.user:
        return
    with st.sidebar:
        if st.user.get("is_logged_in"):
            st.caption(f"Signed in as {md_escape(current_user())}")
            st.button("Sign out", key="team_logout", on_click=st.logout)
        else:
            st.button("Sign in", key="team_login", on_click=st.login,
                      help="Saved snapshots and comparisons then carry your name.")


@dataclass
class StoreStatus:
    """The shared store, or why there is none (then ``store`` is None)."""

    store: SQLStore | None
    problem: str | None = None
    failed_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@st.cache_resource(show_spinner=False)
def _statuses() -> dict[str, StoreStatus]:
    """Process-wide: one status per configured database (keyed by its URL and file)."""
    return {}


def _config_key() -> str:
    return "\0".join(os.environ.get(name, "") for name in (
        "ADVISOR_DATABASE_URL", "ADVISOR_SNAPSHOT_DB"))


def store_status() -> StoreStatus:
    """The configured store, opened (and migrated) on first use by this process."""
    statuses = _statuses()
    status = statuses.setdefault(_config_key(), StoreStatus(None))
    if status.store is not None:
        return status
    with status.lock:
        fresh = status.failed_at and time.monotonic() - status.failed_at < RETRY_AFTER_S
        if status.store is None and not fresh:
            try:
                status.store = open_store()
                status.problem = None
                LOG.info("store: %s", status.store.describe())
            except StoreError as exc:
                if exc.public != status.problem:  # the log says where the store is
                    LOG.error("store unavailable, saving is off: %s", exc.message)
                status.problem, status.failed_at = exc.public, time.monotonic()
    return status


def saving_disabled_note(status: StoreStatus) -> str:
    """The sentence shown where saving would be: why it is off (Markdown-escaped by callers)."""
    return f"Saving is turned off because the store cannot be used: {status.problem}"


def record_rule_edit(directory: Path, name: str, *, before: str, after: str) -> str:
    """Append a rules file saved from the app to the audit log; a sentence saying how it went.

    Why a sentence and not an exception: the file is already saved; a failed audit record must
    be reported next to that success, not undo it.
    """
    status = store_status()
    author = current_user()
    if status.store is None:
        return f"Not recorded in the audit log: {status.problem}"
    try:
        number = status.store.record_rule_edit(rule_edit_of(directory, name, before=before,
                                                            after=after, author=author))
    except StoreError as exc:
        return f"Not recorded in the audit log: {exc.public}"
    return f"Recorded in the audit log as edit number {number} by {author}."
