"""The exceptions the core raises for a user to read. Each message is one Chinese line.

The CLI turns them into one line on stderr and exit 2; the web app into a message on the page.
"""

from __future__ import annotations


class JixiaoError(Exception):
    """Anything the user did or sent that jixiao cannot use; the message says what and where."""


class InputError(JixiaoError):
    """Input that cannot be read as a package."""


class PackError(JixiaoError, ValueError):
    """A rule pack that cannot be used (unknown name, bad YAML, unknown rule id)."""


class FormError(InputError):
    """A form definition that cannot be found or used."""
