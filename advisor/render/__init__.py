"""Renderers: words, numbers, tables, Markdown, HTML (Jinja templates), PDF and charts.

Imports: ``advisor.analysis.full`` and below. Renderers never recompute a figure.
"""
