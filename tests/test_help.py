"""Every command and option explains itself."""

from __future__ import annotations

from typing import Any

from typer.main import get_command

from readchallenge.cli import app


def _walk(command: Any, path: str = "rc") -> list[tuple[str, Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found.extend(_walk(sub, f"{path} {name}"))
    return found


def test_every_command_and_option_has_help():
    missing = []
    for path, command in _walk(get_command(app)):
        if not (command.help or "").strip():
            missing.append(path)
        for param in command.params:
            if param.param_type_name == "option" and not (getattr(param, "help", "") or "").strip():
                missing.append(f"{path} {param.opts[0]}")
    assert missing == []


def test_help_lists_every_command_under_its_theme(run):
    result = run("--help")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert sorted(listed) == sorted(get_command(app).commands)
    for theme in ("Every day:", "Papers:", "The plan and the Sunday post:", "rc itself:"):
        assert theme in result.stdout
    today = next(line for line in result.stdout.splitlines() if line.startswith("  today "))
    assert today.split(None, 1)[1] == get_command(app).commands["today"].help.splitlines()[0]


def test_command_help_names_every_option_once(run):
    for name, command in get_command(app).commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert result.stdout.startswith(f"Usage: rc {name}")
        for param in command.params:
            if param.param_type_name == "option":
                assert (
                    result.stdout.count(f"  {param.opts[0]}")
                    + result.stdout.count(f", {param.opts[0]}")
                    == 1
                ), (name, param.opts)
        assert "-h, --help" in result.stdout
        assert "<" not in result.stdout  # no type tags such as <bool>
