"""Commands about rc itself: info and the store path."""

from __future__ import annotations

import typer

from readchallenge.commands.common import JsonOpt, config, console, print_json


def info(json_output: JsonOpt = False) -> None:
    """Show the store, the config file, the schema, versions and effective settings."""
    from readchallenge.services.info import info as info_service

    data = info_service(config())
    if json_output:
        print_json(data)
        return
    out = console()
    out.print(f"rc {data['version']}", markup=False)
    out.print(f"store:        {data['store']} (schema {data['schema_version']})", markup=False)
    exists = "" if data["config_file_exists"] else " (not present)"
    out.print(f"config file:  {data['config_file']}{exists}", markup=False)
    out.print(f"today:        {data['today']}", markup=False)
    deps = ", ".join(f"{k} {v}" for k, v in data["dependencies"].items())
    out.print(f"dependencies: {deps}", markup=False)
    out.print("settings:", markup=False)
    for key, setting in data["settings"].items():
        out.print(f"  {key} = {setting['value']!r}  ({setting['from']})", markup=False)


def path() -> None:
    """Print the folder where rc keeps its store (set it with RC_HOME)."""
    typer.echo(str(config().home))


def register(app: typer.Typer) -> None:
    app.command()(info)
    app.command()(path)
