"""Tools for people who edit rules: lint, check, rule tests, explain, diff, schema export,
safe save, prices and new models.

Imports: ``advisor.render`` and below.
"""
