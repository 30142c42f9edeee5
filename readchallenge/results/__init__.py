"""The results services hand to renderers and to JSON: typed, and below both of them."""
