"""Escape untrusted text for Markdown: one helper for the app and the Markdown reports.

Every value that comes from a share link, an upload, a rules file or an answers file goes
through :func:`md_escape` before it is placed in Markdown, so it reads as the text it is and never
as a link, an image, HTML, a heading, a list, a table, emphasis, code, maths or a Streamlit
directive (``:red[…]``, ``:material/…:``). The HTML report escapes with ``html.escape`` instead.

What is escaped, and why it is enough (CommonMark lets a backslash escape any ASCII punctuation):

- everywhere: ``\\ ` * _ [ ] < | ~ $ @`` — emphasis, code, links and images (no ``[`` means no
  link, so ``!`` and parentheses are inert), raw HTML and ``<…>`` autolinks, tables,
  strikethrough and fences, maths, e-mail autolinks;
- a ``:`` followed by anything but a space (``http://``, ``mailto:x``, Streamlit's ``:red[…]``,
  ``:material/…:`` and ``:emoji:``), and a ``&`` that starts an entity such as ``&lt;``;
- at the start of a line only: ``-``, ``+``, ``=``, ``#``, ``>`` and a number's ``.`` or ``)``
  — lists, setext and ATX headings, thematic breaks and quotes, which nothing else starts;
- the ``.`` of ``www.``, which GitHub-flavoured Markdown turns into a link.

Why not escape every punctuation mark: reports are read as plain text too, and
``Training compute: self-consistency`` reads better with no backslash in it.
"""

from __future__ import annotations

import re

_ANYWHERE = re.compile(r"([\\`*_\[\]<|~$@]|:(?=\S)|&(?=#?\w+;))")
_LINE_START = re.compile(r"^([ \t]*)([-+=#>]|\d+(?=[.)]))", re.MULTILINE)
_WWW_DOT = re.compile(r"(?i)(?<=www)\.")


def md_escape(text: str) -> str:
    """``text`` escaped so that Markdown renders it literally.

    >>> md_escape("![x](http://example.com/t.png)")
    '!\\\\[x\\\\](http\\\\://example.com/t.png)'
    """
    text = _ANYWHERE.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _WWW_DOT.sub(r"\\.", text)
    return _LINE_START.sub(lambda m: m[1] + (m[2] + "\\" if m[2][0].isdigit()
                                             else "\\" + m[2]), text)


def md_cell(text: str) -> str:
    """``text`` escaped for one cell of a Markdown table: on one line, pipes escaped."""
    return md_escape(" ".join(text.split()))
