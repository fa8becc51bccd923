"""Django-free helpers, one topic a module."""
