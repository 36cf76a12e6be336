"""Our gettext catalogues: compile them without GNU gettext, and find what lacks a translation.

Compiling with Babel means `make run` works on a machine without gettext; extraction (and so
the completeness check) still uses Django's makemessages, which needs xgettext.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

REQUIRED_LANGUAGES = ("kk", "ru")  # English is the source language of our msgids


def po_files() -> Iterator[Path]:
    for root in settings.LOCALE_PATHS:
        yield from sorted(Path(root).glob("*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    written = []
    for po in po_files():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def _untranslated(message: Message) -> bool:
    if not message.id:
        return False
    if message.fuzzy:
        return True
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def missing_translations(catalog: Catalog) -> list[str]:
    return [
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if _untranslated(message)
    ]


SOURCE_DIRS = ("onestop", "config")


def extract_and_check(project_root: Path) -> dict[str, list[str]]:
    """Extract every message of ours afresh and list, per language, those without a
    translation. It runs in a scratch folder that links to the sources and holds a copy of
    the catalogues: makemessages writes to the `locale` folder nearest to the files it reads,
    so run from the project it would rewrite the real catalogues."""
    own_locale = Path(settings.LOCALE_PATHS[0])
    problems: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        scratch_locale = Path(scratch) / "locale"
        shutil.copytree(own_locale, scratch_locale)
        for name in SOURCE_DIRS:
            os.symlink(project_root / name, Path(scratch) / name)
        previous = os.getcwd()
        os.chdir(scratch)
        try:
            with override_settings(LOCALE_PATHS=[scratch_locale]):
                call_command(
                    "makemessages",
                    locale=list(REQUIRED_LANGUAGES),
                    symlinks=True,
                    no_obsolete=True,
                    verbosity=0,
                )
        finally:
            os.chdir(previous)
        for lang in REQUIRED_LANGUAGES:
            po = scratch_locale / lang / "LC_MESSAGES" / "django.po"
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            missing = missing_translations(catalog)
            if missing:
                problems[lang] = missing
    return problems
