"""The bodies of rc's commands: parse values, call one service, hand the result to a renderer.

Free of Typer, so that the dispatcher (`readchallenge.dispatch`) can run them straight from
the command table that is derived from the Typer declarations in `commands/`.
"""
