"""Use cases: each takes the config and plain values, returns data or raises RcError."""
