"""Allow `python -m readchallenge`."""

from readchallenge.cli import main

main()
