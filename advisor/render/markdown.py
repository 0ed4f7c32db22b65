"""Escape untrusted text for Markdown: one helper for the app and the Markdown reports.

Every value that comes from a share link, an upload, a rules file or an answers file goes
through :func:`md_escape` before it is placed in Markdown, so it reads as the text it is and never
as a link, an image, HTML, a heading, a list, a table, emphasis, code, maths or a Streamlit
directive (``:red[…]``, ``:material/…:``). The HTML report escapes with ``html.escape`` instead.

What is escaped, and why it is enough (CommonMark lets a backslash escape any ASCII punctuation):

- everywhere: ``\\ ` * _ [ ] < | ~ $`` — emphasis, code, links and images (no ``[`` means no
  link, so ``!`` and parentheses are inert), raw HTML and ``<…>`` autolinks, tables,
  strikethrough and fences, maths; and a ``&`` that starts an entity such as ``&lt;``;
- at the start of a line only: ``-``, ``+``, ``=``, ``#``, ``>`` and a number's ``.`` or ``)``
  — lists, setext and ATX headings, thematic breaks and quotes, which nothing else starts;
- bare ``http://`` and ``www.`` addresses, e-mail addresses, ``:emoji:`` and
  ``:material/icon:`` shortcodes and ``:red[…]`` directives get an invisible word joiner (U+2060)
  after a ``:`` followed by a letter or ``/``, after ``www`` or before the ``@``. Why not a
  backslash: GitHub-flavoured Markdown, as Streamlit renders it, finds those in the text after
  escapes are resolved (checked in Chromium), so only a character inside the pattern stops them.

Why not escape every punctuation mark: reports are read as plain text too, and
``Training compute: self-consistency`` reads better with no backslash in it.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_ANYWHERE = re.compile(r"([\\`*_\[\]<|~$]|&(?=#?\w+;))")
_LINE_START = re.compile(r"^([ \t]*)([-+=#>]|\d+(?=[.)]))", re.MULTILINE)
_AUTOLINKED = re.compile(r"(?i)(?<=:)(?=[a-z/])|(?<=www)(?=\.)|(?<=[\w.+-])(?=@)")


def md_escape(text: str) -> str:
    r"""``text`` escaped so that Markdown renders it literally.

    >>> md_escape("**Bold** [a link](x) at 10:30")
    '\\*\\*Bold\\*\\* \\[a link\\](x) at 10:30'
    """
    return _LINE_START.sub(lambda m: m[1] + (m[2] + "\\" if m[2][0].isdigit()
                                             else "\\" + m[2]), _inline_escape(text))


def _inline_escape(text: str) -> str:
    text = _ANYWHERE.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _AUTOLINKED.sub(WORD_JOINER, text)


def md_cell(text: str) -> str:
    """``text`` escaped for one cell of a Markdown table: on one line, pipes escaped.

    Why no line-start escapes: a table cell holds inline content only (no list, heading or
    quote can start in one), so ``0.97`` and ``5.0 min`` stay as they read.
    """
    return _inline_escape(" ".join(text.split()))
