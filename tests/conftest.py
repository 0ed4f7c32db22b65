"""Shared pytest options."""


def pytest_addoption(parser):
    # Golden files (tests/golden/): rewrite them from the current output instead of comparing.
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output")
