"""Stateful handlers: catalog (see registry.handles)."""

from __future__ import annotations

__all__: list[str] = []
