"""Pure rules of rc: no I/O, no third-party imports."""
