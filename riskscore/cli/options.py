"""Options and helpers shared by every command module of the command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from riskscore.errors import ArgumentError, ConfigError, RiskscoreError
from riskscore.outputs.escape import terminal_text, visible
from riskscore.outputs.render import FORMATS

PROJECT_META = "riskscore.inputs.project"
# The library's parameters and the options that set them (for ArgumentError messages).
OPTION_OF_PARAMETER = {"model": "--config", "profiles": "--profiles", "data": "--data",
                       "sheet": "--sheet", "article": "--article", "weights": "--weight",
                       "sources": "--sources", "as_of": "--as-of", "known_at": "--known-at",
                       "samples": "--samples", "seed": "--seed", "top_k": "--top-k"}
QUIET_META = "riskscore.quiet"


def handle_errors(func):
    """Turn errors into click errors: one readable line, exit 1, no traceback.

    Library errors (``RiskscoreError``) and unreadable or unwritable files are the
    user's to fix and say how. Anything else that escapes a command is a fault of
    riskscore or a library it calls: one line says so (the writers have already
    rolled back, so nothing was written); ``RISKSCORE_DEBUG=1`` lets it propagate,
    traceback and all.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ArgumentError as err:   # the library names its parameter; say the option
            option = OPTION_OF_PARAMETER.get(err.parameter, err.parameter)
            raise click.ClickException(ConfigError("command line", option, err.problem,
                                                   err.expected).message) from None
        except RiskscoreError as err:
            raise click.ClickException(visible(err.message)) from None
        except OSError as err:  # a file the user named cannot be read or written
            raise click.ClickException(visible(os_error_message(err))) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as err:
            if os.environ.get("RISKSCORE_DEBUG"):
                raise
            raise click.ClickException(
                f"internal error ({type(err).__name__}: {err}). This is a fault in riskscore, "
                "not in your input; nothing was written. Run again with RISKSCORE_DEBUG=1 "
                "to see the traceback, and please report it.") from None

    return wrapper


def os_error_message(err: OSError) -> str:
    """'<path>: <what went wrong>' for an OSError that reached the command line."""
    names = [str(n) for n in (err.filename, err.filename2) if n is not None]
    where = " -> ".join(names) if names else "riskscore"
    return f"{where}: {err.strerror or err}"


# ---- quiet ---------------------------------------------------------------------------


def _remember_quiet(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.meta[QUIET_META] = True


def quiet_option(func):
    """``-q/--quiet``: only the result; no notes under tables, no progress, no 'wrote FILE'.

    Kept in the click context like ``--project``; read it with ``is_quiet()``.
    """
    return click.option("--quiet", "-q", is_flag=True, default=False, expose_value=False,
                        is_eager=True, callback=_remember_quiet,
                        help="Print only the result: no notes, progress or messages.")(func)


def is_quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(QUIET_META))


# ---- projects ------------------------------------------------------------------------


def _remember_project(ctx: click.Context, _param, value: Path | None) -> None:
    if value is not None:
        ctx.meta[PROJECT_META] = value


def project_option(func):
    """``--project DIR``: use that project instead of the one found above the current folder.

    The value is kept in the click context (not passed to the command), so any command
    can take it without changing its signature; read it with ``current_project()``.
    """
    return click.option("--project", type=click.Path(path_type=Path, file_okay=True),
                        default=None, expose_value=False, is_eager=True,
                        callback=_remember_project, metavar="DIR",
                        help="The project folder (holding riskscore.toml) [default: found by "
                             "walking up from the current folder].")(func)


def current_project():
    """The project of this run: ``--project DIR`` if given, else the nearest riskscore.toml
    above the current folder. Raises ConfigError (saying how to start one) outside any."""
    from riskscore.inputs.project import Project

    ctx = click.get_current_context(silent=True)
    given = ctx.meta.get(PROJECT_META) if ctx is not None else None
    return Project.open(given) if given is not None else Project.find()


def project_path(key: str, given: Path | None = None, fallback: Path | None = None) -> Path | None:
    """``given`` if the user passed it, else the path the project names for ``key``.

    Outside any project, ``fallback`` (relative to the current folder) if there is one,
    else the error that says how to start a project.
    """
    from riskscore.inputs.project import NoProjectError

    if given is not None:
        return given
    try:
        return current_project().get(key)
    except NoProjectError:
        if fallback is None:
            raise
        return fallback


def settings_path_or_default(given: Path | None) -> Path | None:
    """The sensitivity settings: ``given``; else the file the project's ``sensitivity`` key
    names (which must then exist); else the default path if that file exists; else None
    (``sensitivity.toml`` beside the model, or the built-in defaults). Outside a project,
    None."""
    from riskscore.inputs.project import NoProjectError

    if given is not None:
        return given
    try:
        project = current_project()
    except NoProjectError:
        return None
    path = project.get("sensitivity")
    if "sensitivity" in project.given:   # set in riskscore.toml: used, or an error
        if path is not None and not path.is_file():
            from riskscore.errors import ConfigError

            raise ConfigError(project.path, "sensitivity", f"names {path}, which is not a file",
                              "an existing sensitivity settings file (or no sensitivity key: "
                              "sensitivity.toml beside the model, else the built-in settings)")
        return path
    return path if path is not None and path.is_file() else None


def project_output(key: str, given: Path | None, fallback: Path) -> Path:
    """Where an output goes: ``given`` (``--output``, anywhere), else the path the project
    names for ``key`` (which must stay inside the project), else ``fallback`` outside one."""
    from riskscore.inputs.project import NoProjectError

    if given is not None:
        return given
    try:
        found = current_project().output(key)
    except NoProjectError:
        return fallback
    return found if found is not None else fallback


def project_name() -> str | None:
    """The ``name`` the project file sets, or None (not set, or outside any project)."""
    from riskscore.inputs.project import NoProjectError

    try:
        project = current_project()
    except NoProjectError:
        return None
    return project.name if "name" in project.given else None


def resolve_inputs(config: Path | None, profiles: Path | None, data: Path | None,
                   article: Path | None) -> tuple[Path, Path | None, Path | None, Path | None]:
    """Fill what the command line left out from the project: (config, profiles, data, article).

    With --config and --profiles (or --data) given, no project is needed. The project's
    article is used only with the project's profiles; explicit --profiles keep the rule
    "the one *.txt beside the profiles directory".
    """
    if profiles is not None and data is not None:
        raise click.UsageError("give --profiles or --data, not both")
    needs_project = config is None or (profiles is None and data is None)
    if not needs_project and config is not None:
        return config, profiles, data, article
    project = current_project()
    config = config or project.get("model")
    if profiles is None and data is None:
        data = project.get("data")
        if data is None:
            profiles = project.get("profiles")
            article = article or project.get("article")
    return config, profiles, data, article


def input_options(func):
    """The options every scoring command shares: project, model, inputs, what-if weights,
    sources."""
    options = [
        click.option("--config", "config", type=click.Path(path_type=Path), default=None,
                     help="Model file (hierarchy, goalposts, weights) [default: the project's "
                          "model]."),
        click.option("--profiles", type=click.Path(path_type=Path), default=None,
                     help="Directory of country profiles [default: the project's profiles]."),
        click.option("--data", type=click.Path(path_type=Path), default=None,
                     help="Wide table (.csv or .xlsx) instead of profiles: an 'entity' column "
                          "plus one column per indicator id; an empty cell is missing."),
        click.option("--sheet", default=None, expose_value=False, callback=_remember_sheet,
                     help="The worksheet of an .xlsx --data file [default: the first]."),
        click.option("--article", type=click.Path(path_type=Path), default=None,
                     help="Article text that quotes are checked against [default: the project's "
                          "article; with --profiles, the one *.txt beside that directory]."),
        click.option("--weight", "weights", multiple=True, metavar="NODE=W",
                     help="What-if: set NODE's share of its parent to W (0-1); its siblings "
                          "keep their proportions. Repeatable."),
        click.option("--weights", "weight_set", default=None, metavar="NAME", expose_value=False,
                     callback=_remember(WEIGHT_SET),
                     help="Score with the model's named weight set [weight_sets.NAME] "
                          "(before any --weight).") ,
        click.option("--set", "what_if", multiple=True, metavar="ENTITY:INDICATOR=VALUE",
                     expose_value=False, callback=_remember(WHAT_IF),
                     help="What-if: replace one raw value for this run (marked as a what-if "
                          "in every output). Repeatable."),
        click.option("--sources", type=click.Choice(["all", "article"], case_sensitive=False), default="all",
                     show_default=True,
                     help="'article' scores with article-quoted values only (the rest missing)."),
        click.option("--as-of", "as_of", type=PERIOD, default=None,
                     help="Score the world on this date: per indicator the latest observation "
                          "describing a date on or before it, and the sanctions in force "
                          "(YYYY, YYYY-MM or YYYY-MM-DD; a year means its last day) "
                          "[default: the model's evidence_date]."),
        click.option("--known-at", "known_at", type=PERIOD, default=None, expose_value=False,
                     callback=_remember_known_at,
                     help="Use only what was published on or before this date (observations, "
                          "supplier mentions, registry listings) [default: all known today]."),
    ]
    for option in reversed(options):
        func = option(func)
    return quiet_option(project_option(func))


WEIGHT_SET = "riskscore.weight_set"
TO_WEIGHT_SET = "riskscore.to_weight_set"
WHAT_IF = "riskscore.what_if"


def _remember(key: str):
    """A callback keeping an option's value on the click context (out of the signature)."""
    def callback(ctx: click.Context, _param, value):
        ctx.meta[key] = value
        return value

    return callback


def weight_set_option() -> str | None:
    """The ``--weights NAME`` of the running command, if any."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(WEIGHT_SET) if ctx is not None else None


def what_if_option():
    """The parsed ``--set`` what-ifs of the running command (empty when none)."""
    from riskscore.inputs.what_if import parse_set_options

    ctx = click.get_current_context(silent=True)
    return parse_set_options(ctx.meta.get(WHAT_IF) or () if ctx is not None else ())


def _remember_sheet(ctx: click.Context, _param, value: str | None) -> None:
    # Kept out of every command's signature: run_assessment (and data_sheet) read it.
    ctx.meta["riskscore.sheet"] = value


def data_sheet() -> str | None:
    """The ``--sheet`` given to the running command, if any."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("riskscore.sheet") if ctx is not None else None


class PeriodType(click.ParamType):
    """A date given as YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its last day)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from riskscore.model.timeline import parse_period

        try:
            date = parse_period(str(value))
            if date > dt.date.today():
                name = param.opts[0] if param is not None and param.opts else "date"
                click.echo(f"warning: {name} {value} is after today ({dt.date.today()}): "
                           "the score assumes that every fact on record today still holds "
                           "then", err=True)
            return date
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


PERIOD = PeriodType()
KNOWN_AT = "riskscore.known_at"


def _remember_known_at(ctx, param, value):
    # Kept on the context, not passed as a parameter, so every command that takes the
    # input options gets --known-at without another argument in its signature.
    ctx.meta[KNOWN_AT] = value
    return value


def known_at_option() -> dt.date | None:
    """The --known-at date of the command being run (None when not given)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(KNOWN_AT) if ctx is not None else None


def other_edition_options(func=None, *, prefix: str = "to", what: str = "The other edition's"):
    """The options naming the edition compared with: ``--to-as-of`` ... for ``compare``,
    ``--compare-to-as-of`` ... for ``report`` (``prefix``). Each defaults to the base
    edition's value, so any one or several may differ."""
    def decorate(func):
        options = [
            click.option(f"--{prefix}-as-of", "to_as_of", type=PERIOD, default=None,
                         help=f"{what} as-of date."),
            click.option(f"--{prefix}-known-at", "to_known_at", type=PERIOD, default=None,
                         help=f"{what} known-at date."),
            click.option(f"--{prefix}-config", "to_config", type=click.Path(path_type=Path),
                         default=None, help=f"{what} model file."),
            click.option(f"--{prefix}-profiles", "to_profiles", type=click.Path(path_type=Path),
                         default=None, help=f"{what} profiles directory."),
            click.option(f"--{prefix}-data", "to_data", type=click.Path(path_type=Path),
                         default=None, help=f"{what} data table."),
            click.option(f"--{prefix}-weight", "to_weights", multiple=True, metavar="NODE=W",
                         help=f"{what} what-if weights (repeatable) [default: --weight]."),
            click.option(f"--{prefix}-weights", "to_weight_set", metavar="NAME", default=None,
                         expose_value=False, callback=_remember(TO_WEIGHT_SET),
                         help=f"{what} named weight set [weight_sets.NAME] [default: "
                              "--weights]."),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate(func) if func is not None else decorate


def other_edition_given(to_as_of, to_known_at, to_config, to_profiles, to_data,
                        to_weights) -> bool:
    return any(v not in (None, ()) for v in (to_as_of, to_known_at, to_config, to_profiles,
                                             to_data, to_weights, _meta(TO_WEIGHT_SET)))


def _meta(key: str):
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(key) if ctx is not None else None


def run_other_edition(base, config, profiles, data, article, weights, sources, to_as_of,
                      to_known_at, to_config, to_profiles, to_data, to_weights, *,
                      what_if: tuple = ()):
    """The edition to compare ``base`` with: each --to-* option, else the base's own.

    Its weight set is --to-weights NAME (--compare-to-weights), else the base's --weights;
    ``what_if`` (data what-ifs) apply to it alone."""
    from riskscore.engine.pipeline import assess
    from riskscore.model.weights import parse_weight_options

    if to_profiles is not None and to_data is not None:
        raise click.UsageError("give --to-profiles or --to-data, not both")
    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    if to_profiles is None and to_data is None:
        to_profiles, to_data = (profiles, data)
    return assess(to_config or config, profiles=to_profiles if to_data is None else None,
                  data=to_data, sheet=data_sheet() if to_data == data else None,
                  article=article,
                  weights=parse_weight_options(to_weights or weights, "--to-weight"
                                               if to_weights else "--weight"),
                  sources=sources, as_of=to_as_of or base.as_of,
                  known_at=to_known_at or base.known_at, columns=project_columns(),
                  weight_set=_meta(TO_WEIGHT_SET) or weight_set_option(), what_if=what_if)


def format_option(func):
    return click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False),
                        default="table",
                        show_default=True, help="Output format.")(func)


def workbook_format_option(func):
    """``--format`` for commands that can also write an Excel workbook (``xlsx``, with -o)."""
    return click.option("--format", "fmt", type=click.Choice([*FORMATS, "xlsx"], case_sensitive=False),
                        default="table", show_default=True,
                        help="Output format; xlsx writes a workbook and needs --output.")(func)


def require_output(fmt: str, output: Path | None) -> None:
    """A workbook is binary: it goes to a file, never to the terminal."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a binary workbook; give --output FILE.xlsx")


def output_option(func):
    return click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
                        default=None,
                        help="Write to this file (atomically; a missing folder is created) "
                             "instead of standard output.")(func)


def run_assessment(config, profiles, data, article, weights, sources, as_of, *,
                   with_what_if: bool = True, with_weight_set: bool = True):
    from riskscore.engine.pipeline import assess
    from riskscore.model.weights import parse_weight_options

    config, profiles, data, article = resolve_inputs(config, profiles, data, article)
    result = assess(config, profiles=profiles if data is None else None, data=data,
                    sheet=data_sheet(), article=article, weights=parse_weight_options(weights),
                    sources=sources,
                    as_of=as_of.date() if isinstance(as_of, dt.datetime) else as_of,
                    known_at=known_at_option(), columns=project_columns(),
                    weight_set=weight_set_option() if with_weight_set else None,
                    what_if=what_if_option() if with_what_if else ())
    if not is_quiet():
        for note in result.inputs.notes:   # what reading noticed: said on stderr, once
            click.echo(visible(f"note: {note}"), err=True)
    return result


def project_columns():
    """The ``[columns]`` section of the project this command runs in, if it has one (it
    replaces the model's column roles); None outside a project or without one."""
    from riskscore.inputs.project import NoProjectError

    try:
        return current_project().columns_section()
    except NoProjectError:
        return None


def sensitivity_settings(settings_path: Path | None, config: Path):
    """The sensitivity settings for ``config``: ``--settings`` (which must exist), else the
    project's, else ``sensitivity.toml`` beside the model, else the built-in defaults (``path`` None,
    which the outputs state)."""
    from riskscore.analyses.sensitivity.settings import load_settings
    from riskscore.inputs.project import NoProjectError

    if config is None:   # the project's model, so "beside the model" does not mean the cwd
        with contextlib.suppress(NoProjectError):
            config = current_project().get("model")
    return load_settings(settings_path_or_default(settings_path), model_path=config)


def emit(text: str | bytes, output: Path | None) -> None:
    """Print ``text`` (through a pager when it is longer than a terminal screen; never in a
    pipe), or write it to ``output`` atomically, without colour codes.

    Text never carries a control character other than line breaks, tabs and riskscore's own
    colour codes: any other (ESC, OSC, C1, bidi controls) is shown escaped, whichever
    renderer produced the text (``escape.terminal_text``)."""
    if isinstance(text, str):
        text = terminal_text(text)
    if output is None:
        if isinstance(text, str) and _use_pager(text):
            click.echo_via_pager(text)
            return
        ends = text.endswith("\n") if isinstance(text, str) else text.endswith(b"\n")
        click.echo(text, nl=not ends)
    else:
        if isinstance(text, str):
            text = click.unstyle(text)
        from riskscore.support.fileio import write_atomic

        write_atomic(output, text)
        if not is_quiet():
            click.echo(f"wrote {output}", err=True)


def emit_pieces(pieces: Iterable[str], output: Path | None) -> None:
    """Print text made in ``pieces`` as they come (no pager), or write them to ``output``
    atomically: a large JSON is never held whole in memory, and a terminal sees it start
    at once."""
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
        return
    from riskscore.support.fileio import write_atomic

    write_atomic(output, pieces)
    if not is_quiet():
        click.echo(f"wrote {output}", err=True)


def _use_pager(text: str) -> bool:
    from riskscore.outputs.render import terminal_height

    try:
        interactive = sys.stdout.isatty() and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
    return interactive and text.count("\n") >= terminal_height() - 1


class Progress:
    """A click progress bar on stderr, never in the output: only when stderr is a
    terminal, and only once the run has taken longer than ``DELAY`` seconds."""

    DELAY = 1.0

    def __init__(self, enabled: bool | None = None):
        self.bar: Any = None
        self.enabled = (sys.stderr.isatty() and not is_quiet()) if enabled is None else enabled
        self.started = time.monotonic()
        self.done = 0

    def __call__(self, advance: int, total: int) -> None:
        self.done += advance
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            self.bar = click.progressbar(length=total, label="sampling", file=sys.stderr)
            self.bar.__enter__()
            advance = self.done
        self.bar.update(advance)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
