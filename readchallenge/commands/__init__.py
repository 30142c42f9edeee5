"""rc's commands, one module per group: each command is one function, whose signature
declares its arguments and options (see `readchallenge.params`) and whose body runs it."""
