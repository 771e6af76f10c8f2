"""The ``gtu`` command line: one module per command, and :mod:`~gametheory_ukraine.cli.app` for what runs them.

The command line parses arguments, calls the library and formats what it returns; nothing below it imports it.
"""

from .app import COMMANDS, build_parser, main  # noqa: F401 - COMMANDS: the table main dispatches on

__all__ = ["main", "build_parser"]
