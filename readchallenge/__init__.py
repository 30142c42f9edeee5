"""rc: a terminal companion for a daily research-paper reading challenge."""

__version__ = "0.1.0"
