"""Streamlit pages and their shared state. Pages lay out widgets and call the advisor library."""
