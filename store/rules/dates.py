"""Days as people type them, and the days a portfolio can be about.

One parser for every date a person types or a file gives as a day (``--as-of``,
``--date``, ``--on``, the app's forms and time travel, CSV exports): ISO
``2018-09-15`` or French ``15/09/2018``, in the years 1900–2199.
"""

from __future__ import annotations

import datetime as dt
import re

import i18n

_ = i18n.Domain("store").gettext

# The days a convention, a line, a deadline or a view can be on: a year outside is a
# typo (and a burn-down from year 1 would have 24,000 months).
PLAUSIBLE_YEARS = range(1900, 2200)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_FRENCH = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)


def check_plausible(day: dt.date) -> dt.date:
    """``day`` if its year is in PLAUSIBLE_YEARS, else ValueError."""
    if day.year not in PLAUSIBLE_YEARS:
        raise ValueError(
            _("is not a plausible day (years {first}–{last})").format(
                first=PLAUSIBLE_YEARS[0], last=PLAUSIBLE_YEARS[-1]
            )
        )
    return day


def parse_day(text: str) -> dt.date:
    """``2018-06-15`` or ``15/06/2018`` (also ``15.06.2018``, ``15-06-2018``) → a date.

    A time part after the day (``2018-06-15 00:00:00``, as spreadsheets write) is
    ignored.  An impossible day (31/02/2019) is refused as such, and so is a year
    outside PLAUSIBLE_YEARS.  The ``ValueError``'s message is the reason, in the
    language of the run, phrased to follow the value (``"31/02/2019" n'existe pas``).
    """
    raw = text.strip()
    if not raw:
        raise ValueError(_("is empty"))
    head = raw.split()[0] if " " in raw else raw.split("T")[0]
    if match := _ISO.fullmatch(head):
        year, month, day = (int(g) for g in match.groups())
    elif match := _FRENCH.fullmatch(head):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(_("is not a date (expected dd/mm/yyyy or yyyy-mm-dd)"))
    try:
        found = dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("is not a real day")) from None
    return check_plausible(found)
