"""Streamlit pages, one module each."""
