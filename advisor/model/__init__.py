"""Data only: the answers, the rules and the result, as pydantic models.

Imports: nothing else in advisor but ``advisor.errors``.
"""
