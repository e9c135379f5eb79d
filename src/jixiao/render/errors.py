"""The one exception of the render package: the user's fault, said in Chinese."""

from __future__ import annotations


class RenderError(Exception):
    """A document could not be produced because of the input (bad template, LibreOffice missing …).

    The message is in Chinese and meant to be shown to the user as it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
