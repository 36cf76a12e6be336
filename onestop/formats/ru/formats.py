# Russian formats as used in Kazakhstan: Django's own, with grouping switched on.
from __future__ import annotations

from django.conf.locale.ru.formats import *  # noqa: F403

NUMBER_GROUPING = 3
