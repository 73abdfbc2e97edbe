"""`gongkai serve`: live preview with rebuild on save, auto-reload and an error overlay."""

from .app import DevServer, ServeOptions
from .changes import Change, Coalescer, Roots, classify

__all__ = ["Change", "Coalescer", "DevServer", "Roots", "ServeOptions", "classify"]
