"""Views: rich for the terminal, a Jinja2 template for the post."""
