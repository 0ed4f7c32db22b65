"""Bare app: the advisor's questionnaire widgets, one metric and one chart, nothing else."""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import plotly.graph_objects as go
import streamlit as st

from ui import state
from ui.components.questionnaire import questionnaire

rules = state.get_rules().rules
state.init_answers(rules)
with st.sidebar:
    st.header("Your situation")
    questionnaire(rules)
answers = state.current_answers(rules)
st.title("Bare app")
st.metric("Latency budget", f"{answers.latency_budget_s:g} s")
xs = [1, 2, 3, 4, 5]
st.plotly_chart(go.Figure(go.Scatter(x=xs, y=[answers.latency_budget_s * x for x in xs])),
                key="bare_chart")
