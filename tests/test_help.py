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


def test_help_lists_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "info" in result.stdout


def test_fast_overview_matches_the_typer_app():
    from readchallenge.fastpath import OVERVIEW, SUMMARY

    command = get_command(app)
    listed = {name: text for _, commands in OVERVIEW for name, text in commands}
    assert sorted(listed) == sorted(command.commands)
    for name, text in listed.items():
        assert text == command.commands[name].help.strip().splitlines()[0], name
    assert SUMMARY == command.help.strip().splitlines()[0]
