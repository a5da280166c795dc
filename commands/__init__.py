"""The commands of ``startups`` and their renderers; ``cli.py`` is the entry point.

One module per family of commands, each with ``register(app)``; ``cli.py`` imports only
the module of the command being run.  What every command shares: ``options`` (the
option types: one date type for every date, the store, the formats), ``context`` (the
root's options and the one way to open a store), and ``render`` (one renderer per
format, the one place where data becomes text).
"""
