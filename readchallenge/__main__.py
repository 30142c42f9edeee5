"""Allow `python -m readchallenge`."""

from readchallenge.fastpath import main

main()
