"""``python -m advisor.store check``: open the configured store (creating or migrating its
schema) and say in one line where it is, or why it cannot be used (exit status 1).

Run it when a server starts (the Dockerfile does) so a wrong ``ADVISOR_DATABASE_URL`` is one
clear line in the log before anyone opens the app.
"""

from __future__ import annotations

import sys

from advisor.errors import StoreError
from advisor.store import open_store


def main(argv: list[str]) -> int:
    if argv != ["check"]:
        print("usage: python -m advisor.store check", file=sys.stderr)
        return 2
    try:
        store = open_store()
        print(f"store: {store.describe()}")
        store.close()
    except StoreError as exc:
        print(f"store unavailable, the app will run with saving off: {exc.message}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
