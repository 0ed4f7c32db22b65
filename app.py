"""Streamlit entry point: page set-up and navigation only; pages live in ui/."""

import streamlit as st

from ui import state
from ui.components import team
from ui.pages import about as about_page
from ui.pages import advise as advise_page
from ui.pages import compare as compare_page
from ui.pages import decisions as decisions_page
from ui.pages import rules as rules_page

st.set_page_config(page_title="Compute advisor", page_icon=":material/balance:", layout="wide")



def _advisor_at_its_own_path() -> None:
    """The advisor page at /advisor too: a default page lives at /, and links that name the
    page (old share links, bookmarks) would otherwise open on "Page not found"."""
    advise_page.render()


pages = [
    st.Page(advise_page.render, title="Advisor", icon=":material/balance:", url_path="start",
            default=True),
    st.Page(_advisor_at_its_own_path, title="Advisor", icon=":material/balance:",
            url_path="advisor", visibility="hidden"),
    st.Page(compare_page.render, title="Compare scenarios", icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page(decisions_page.render, title="Decisions", icon=":material/history:",
            url_path="decisions"),
    st.Page(rules_page.render, title="Rules", icon=":material/rule:", url_path="rules"),
    st.Page(about_page.render, title="About the method", icon=":material/functions:",
            url_path="about"),
]
state.keep_answers()
team.login_controls()
st.navigation(pages, position="top").run()
