"""Functions the apps owning a credential's subject register by kind ("course", "award"), so
this app can describe or check one without reading their models. A function is named by its
dotted path and imported when first asked for (the owning app registers it in ready())."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string


class ByKind:
    def __init__(self) -> None:
        self._paths: dict[str, str] = {}

    def register(self, kind: str, dotted_path: str) -> None:
        self._paths[kind] = dotted_path

    def call(self, kind: str, argument: Any) -> Any:
        """The kind's function applied to `argument`; None for a kind nobody registered."""
        path = self._paths.get(kind)
        return None if path is None else import_string(path)(argument)
