"""Keep chapbook's translation catalogs in step with its labels
(`src/chapbook/core/label_registry.py`).

    .venv/bin/python tools/catalogs.py            # extract, update, compile: all three
    .venv/bin/python tools/catalogs.py extract    # labels -> src/chapbook/locale/chapbook.pot
    .venv/bin/python tools/catalogs.py update     # chapbook.pot -> every <locale>/.../chapbook.po
    .venv/bin/python tools/catalogs.py compile    # every chapbook.po -> chapbook.mo (committed)
    .venv/bin/python tools/catalogs.py init xx    # start a catalog for a new language

Each step is the `pybabel` command it prints; tests/test_labels.py checks that the .pot is a
fresh extraction and that each .mo is the compile of its .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "src/chapbook/locale"
POT = f"{LOCALE}/chapbook.pot"
# The label registry's two marker functions: the first argument (the key) is the
# gettext context, then the English msgid (and plural).
EXTRACT = ["extract", "-F", "babel.cfg", "-o", POT, "--no-location", "--no-default-keywords",
           "-k", "_label:1c,2", "-k", "_plural_label:1c,2,3", "--add-comments=TRANSLATORS:",
           "--project=chapbook", "--copyright-holder=The chapbook developers", "-w", "100", "."]
UPDATE = ["update", "-i", POT, "-d", LOCALE, "-D", "chapbook",
          "--ignore-obsolete", "-w", "100"]
COMPILE = ["compile", "-d", LOCALE, "-D", "chapbook", "--statistics"]


def pybabel(arguments: list[str]) -> None:
    print("pybabel " + " ".join(arguments), flush=True)
    CommandLineInterface().run(["pybabel", *arguments])


def main(steps: list[str]) -> int:
    commands = {"extract": [EXTRACT], "update": [UPDATE], "compile": [COMPILE],
                "all": [EXTRACT, UPDATE, COMPILE]}
    if steps[:1] == ["init"] and len(steps) == 2:
        pybabel(["init", "-i", POT, "-d", LOCALE, "-D", "chapbook", "-l", steps[1],
                 "--no-wrap"])
        return 0
    for step in steps or ["all"]:
        if step not in commands:
            print(__doc__)
            return 2
        for arguments in commands[step]:
            if arguments is UPDATE and not list((ROOT / LOCALE).glob("*/LC_MESSAGES/*.po")):
                continue  # no catalogs yet: nothing to update
            pybabel(arguments)
    return 0


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
