"""The ``startups`` command: its root options, the error edge, and the dispatch.

The commands themselves live in the ``commands`` package, one module per family;
a run imports only the module of the command it runs (``startups report`` must
answer quickly, and never imports Textual nor, on a SQLite file, SQLAlchemy).
Errors from the store (``store.errors``) become one line on stderr with exit status
2 (bad usage or input) or 1 (a failure of the work); never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from typing import Annotated

import typer

import i18n

# The language is chosen before any command's module is imported: their help texts and
# labels are read at import.
i18n.use(i18n.choose(sys.argv[1:]))

from commands.context import Root  # noqa: E402
from commands.options import AsOfOption, DbOption  # noqa: E402

# Each command (or group) and the module that registers it, in the order --help lists them.
COMMANDS: dict[str, str] = {
    "tui": "commands.start",
    "init": "commands.start",
    "demo": "commands.start",
    "report": "commands.report",
    "burn": "commands.burn",
    "import": "commands.imports",
    "expense": "commands.expenses",
    "orders": "commands.orders",
    "order": "commands.orders",
    "deadlines": "commands.deadlines",
    "deadline": "commands.deadline",
    "show": "commands.show",
    "backup": "commands.backup",
    "restore": "commands.backup",
    "export": "commands.backup",
    "log": "commands.log",
    "committee": "commands.committee",
    "brief": "commands.brief",
    "publish": "commands.publish",
    "settings": "commands.settings",
}
# The root's options that take a value (``startups --db PATH report``).
ROOT_VALUE_OPTIONS = ("--db", "--as", "--as-of")
_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def _root(
    ctx: typer.Context,
    db: DbOption = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="NAME",
            help=_("Who makes the changes, for the audit log (default: the OS user)."),
            show_default=False,
        ),
    ] = None,
    read_only: Annotated[
        bool,
        typer.Option("--read-only", help=_("Open the app with every form and write disabled.")),
    ] = False,
    as_of: AsOfOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="fr|en",
            help=_(
                "Language of what is shown: fr (the default) or en; also STARTUPS_LANG, "
                "or an English LANG.  Accepted anywhere on the line."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Without a command, open the portfolio on the configured store."""
    ctx.obj = Root(db=db, read_only=read_only, as_of=as_of)
    if actor is not None:
        from store.rules.text import clean_text, visible

        if not actor.strip() or clean_text(actor) != actor.strip():
            raise typer.BadParameter(
                _("{value} is not a name (no control character)").format(
                    value=repr(visible(actor))
                ),
                param_hint="'--as'",
            )
        from store.audit import set_actor

        set_actor(actor)
    if ctx.invoked_subcommand is None:
        from commands.start import open_or_print

        open_or_print(db, as_of=as_of, read_only=read_only)


def command_of(argv: tuple[str, ...]) -> str | None:
    """The command word of a command line (the root's options may come first), if known."""
    words = iter(argv)
    for word in words:
        if word in ROOT_VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build(argv: tuple[str, ...] = ()) -> typer.Typer:
    """The app with only the command being run registered (beside the root's options).

    Typer turns every command's signature into click parameters on each run (about 10 ms
    for this app's twenty commands, a third of what ``startups report`` costs on a small
    store), and each command's module has imports of its own; a run needs one.  Without a
    known command (``--help``, a typo) every command is registered, so help and "no such
    command" errors list them all.
    """
    app = typer.Typer(
        name="startups",
        help=_(
            "Portfolio manager for a startups d'État incubator: conventions, deadlines, budget."
        ),
        no_args_is_help=False,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )
    app.callback(
        invoke_without_command=True,
        help=_("Portfolio manager for a startups d'État incubator: conventions, deadlines, budget.")
        + "\n\n"
        + _("Without a command, open the portfolio on the configured store."),
    )(_root)
    word = command_of(argv)
    modules = [COMMANDS[word]] if word is not None else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(name).register(app)
    return app


def _fail(message: str, code: int, argv: tuple[str, ...]) -> int:
    prefix = _("startups: error: {message}").format(message=_scrub(message, argv))
    sys.stderr.write(prefix + "\n")
    return code


def _scrub(message: str, argv: tuple[str, ...]) -> str:
    """Never print a database password, whatever message embeds the URL; never let the
    message act on the terminal."""
    from commands.render.text import visible
    from store.location import StoreLocation, scrub

    candidates = [*argv, os.environ.get("STARTUPS_DB") or ""]
    passwords = [StoreLocation(url=c).password for c in candidates if "://" in c]
    return visible(scrub(message, *passwords))


def without_lang(argv: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """The command line without its ``--lang X`` (taken anywhere before ``--``), and X."""
    kept: list[str] = []
    lang = None
    words = iter(argv)
    for word in words:
        if word == "--":
            kept += [word, *words]
            break
        if word == "--lang":
            lang = next(words, "")
        elif word.startswith("--lang="):
            lang = word.split("=", 1)[1]
        else:
            kept.append(word)
    return tuple(kept), lang


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every error is one line on stderr and an exit status."""
    from click.exceptions import ClickException

    from store.errors import StartupsError

    args, lang = without_lang(tuple(sys.argv[1:] if argv is None else argv))
    if lang is not None:
        if i18n.language_of(lang) is None:
            return _fail(
                _("--lang: {value!r} is not a language here (fr, en)").format(value=lang),
                2,
                args,
            )
        i18n.use(i18n.language_of(lang))
    if not os.environ.get("STARTUPS_DEBUG"):
        # A library's warning (a driver's) would come before ours: one line is the
        # contract.  (Log lines, pypdf's "EOF marker not found", are silenced where a
        # library that logs is used: commands.imports.)
        warnings.simplefilter("ignore")
    try:
        result = build(args)(args=list(args), prog_name="startups", standalone_mode=False)
    except StartupsError as exc:
        return _fail(str(exc), exc.exit_code, args)
    except ClickException as exc:  # usage errors: bad option, bad value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return _fail(" ".join(message.split()), getattr(exc, "exit_code", 2), args)
    except typer.Abort:
        return _fail(_("aborted"), 1, args)
    except KeyboardInterrupt:
        return _fail(_("interrupted"), 130, args)
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, a file that cannot be written: said, exit 1
        if os.environ.get("STARTUPS_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}", 1, args)
    except Exception as exc:
        if os.environ.get("STARTUPS_DEBUG"):
            raise
        # The first line only, cut: a driver's message can carry a statement and its data.
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        return _fail(
            _("unexpected {kind}: {message} (STARTUPS_DEBUG=1 shows the traceback)").format(
                kind=type(exc).__name__, message=first
            ),
            1,
            args,
        )
    return result if isinstance(result, int) else 0


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
