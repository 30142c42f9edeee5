"""How a command declares itself: parameter markers and the groups commands belong to.

A command is one function: its signature is the declaration (names, types, defaults, and in
`Annotated[..., Opt(...)]` or `Arg(...)` the help, option names, metavar, choices, bounds and
completion), its body runs the command. `Group.command` files it under its group. Nothing here
imports Typer: `cli_table` reads these functions into the command table the dispatcher runs
from, and `cli` builds the Typer app from the same reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

Body = TypeVar("Body", bound=Callable[..., None])

# The themes of `rc --help`, in the order it lists them.
EVERY_DAY = "Every day"
PAPERS = "Papers"
PLAN_AND_POST = "The plan and the Sunday post"
HISTORY = "History and other devices"
RC_ITSELF = "rc itself"
PANELS = (EVERY_DAY, PAPERS, PLAN_AND_POST, HISTORY, RC_ITSELF)


class Param:
    """What a signature's annotation adds to a parameter's name, type and default."""

    __slots__ = ("choices", "complete", "help", "max", "metavar", "min", "names")
    kind: ClassVar[Literal["option", "argument"]] = "option"

    def __init__(
        self,
        *names: str,
        help: str,
        metavar: str | None = None,
        choices: Sequence[str] = (),
        min: int | None = None,
        max: int | None = None,
        complete: str | None = None,
    ) -> None:
        self.names = names
        self.help = help
        self.metavar = metavar
        self.choices = tuple(choices)
        self.min = min
        self.max = max
        self.complete = complete  # a function of `readchallenge.completion`, by name


class Opt(Param):
    """An option: `--name VALUE`, or a flag for a bool (with a `--no-` twin unless `names`
    are given). `names` default to the parameter's name with dashes."""


class Arg(Param):
    """A positional argument (no option names); a `list[...]` one takes the rest of the line."""

    kind = "argument"


class Group:
    """The commands of one module (under one theme of `rc --help`), or a command group such
    as `rc plan`, whose `default` subcommand runs when the first word names none."""

    def __init__(
        self,
        name: str = "",
        *,
        panel: str | None = None,
        help: str = "",
        default: str | None = None,
    ) -> None:
        self.name = name
        self.panel = panel
        self.help = help
        self.default = default
        self.members: list[tuple[str, Callable[..., None] | Group]] = []

    def command(self, name: str | None = None) -> Callable[[Body], Body]:
        """File the decorated function as a command (named after it without a trailing `_`,
        with dashes); the function is returned as it is."""

        def add(body: Body) -> Body:
            self.members.append((name or body.__name__.rstrip("_").replace("_", "-"), body))
            return body

        return add

    def group(self, name: str, *, help: str, default: str | None = None) -> Group:
        """A command group below this one, in this one's theme."""
        sub = Group(name, panel=self.panel, help=help, default=default)
        self.members.append((name, sub))
        return sub


if TYPE_CHECKING:  # the shape of the command table (`cli_table` writes it), for the checker only
    from typing import TypedDict

    class ParamEntry(TypedDict):
        name: str
        kind: Literal["option", "argument"]
        opts: list[str]
        secondary: list[str]  # a flag's `--no-` twin
        flag: bool
        multiple: bool  # an option given again adds a value
        nargs: int  # -1: an argument that takes the rest of the line
        required: bool
        default: str | int | bool | None
        type: Literal["str", "int", "float", "bool", "path"]
        min: int | None
        max: int | None
        choices: list[str]
        metavar: str | None
        help: str
        complete: str | None

    class _Entry(TypedDict):
        path: str
        help: str
        panel: str | None
        run: str | None  # module:function
        config: bool  # the function takes the configuration first
        params: list[ParamEntry]
        commands: list[str]  # a group's subcommands, in order
        default_command: str | None

    class CommandEntry(_Entry, total=False):
        panels: list[str]  # rc's own entry: the themes of rc --help, in order

    Table = dict[str, CommandEntry]
