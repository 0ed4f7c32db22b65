"""The decision engine: conditions, candidate figures, the quality model, selection.

Imports: ``advisor.model``, ``advisor.source``, ``advisor.errors``; never a renderer.
"""
