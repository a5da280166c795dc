"""One renderer per format, shared by every command that lists things.

``table`` (rich, for a person at a terminal or a file), ``markdown``, ``csv`` and
``jsonout`` (the machine formats), ``ics`` (calendars); ``card`` lays out one startup
for ``show`` and ``chart`` draws a burn-down.  Every value that comes from data passes
through ``text`` on its way out.
"""
