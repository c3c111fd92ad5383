"""Exceptions pubman raises. Each carries enough context (path, line, url, status) for the CLI
to print one line naming the problem and the way out. No I/O here."""

from __future__ import annotations


class PubmanError(Exception):
    """Base of every error pubman reports to a user.

    ``hint`` says what to do about it; the CLI prints it after the message.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class UsageError(PubmanError):
    """A wrong flag, argument or combination of them."""


class ConfigError(PubmanError):
    """pubman.toml is missing a value, has a wrong type, or is not valid TOML."""

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message, hint=hint)
        self.path = path


class BibFileError(PubmanError):
    """A .bib file cannot be read, parsed or written."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.path = path
        self.line = line


class ConcurrentEditError(BibFileError):
    """The file changed on disk after pubman read it; writing would lose those changes."""


class SourceError(PubmanError):
    """A remote service (Semantic Scholar, arXiv) failed, or answered with something unusable."""

    def __init__(
        self,
        service: str,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(f"{service}: {message}", hint=hint)
        self.service = service
        self.url = url
        self.status = status
