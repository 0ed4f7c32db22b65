"""Streamlit parts pages share."""
