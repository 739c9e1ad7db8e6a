"""What a build reads that is not in the project folder: a config and manuscripts handed in
by the Python API, and books given as values. Kept light (no pydantic): the up-to-date
check reads its digest before the pipeline loads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chapbook.core.hashing import digest


@dataclass(frozen=True)
class Inputs:
    # chapbook.toml's values: TOML text, a mapping, or a `Config`; None: the project's file
    config: object = None
    # (name, content) of each manuscript; None: the files of the manuscripts folder
    texts: tuple[tuple[str, bytes], ...] | None = None
    # book definitions with the [[anthology]] schema; None: the config's books
    books: tuple[Mapping[str, Any], ...] | None = None

    def digest(self) -> str:
        """A fingerprint of everything held here, for the up-to-date check."""
        config = self.config
        dump = getattr(config, "model_dump_json", None)
        shown = dump() if callable(dump) else config if isinstance(config, str) else (
            json.dumps(config, sort_keys=True, default=str))
        texts = [(name, digest(raw)) for name, raw in self.texts or ()]
        return digest(json.dumps([shown, texts, self.texts is None, self.books],
                                 sort_keys=True, default=str))
