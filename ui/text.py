"""Escaping for text from rules files and links before it reaches Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:])")


def md_escape(text: str) -> str:
    """Escape Markdown (and the HTML it could smuggle) in rule- or user-supplied text.

    Why: st.markdown renders links and images; a rules file must not be able to inject either.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
