"""What surrounds a recommendation: break-even, what would change, the frontier, compare.

Imports: ``advisor.engine.decide`` and below; never a renderer.
"""
