"""Reading and writing files: YAML with lines, messages, the rules loader, answers files,
share links and safe output.

Imports: ``advisor.model`` and ``advisor.errors`` only.
"""
