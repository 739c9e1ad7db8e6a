"""`[build]` in chapbook.toml: where a run's books are built and their layouts kept."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chapbook.core.executors import LOCAL, executor_problem


class BuildSettings(BaseModel):
    """[build]: how a run is built (the command line's --executor and --cache win)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    executor: str = Field(LOCAL, description="Where a run's books are built: 'local' (this "
                          "machine's cores) or 'dask://HOST:PORT' (a Dask scheduler).")
    cache: str | None = Field(None, description="Where print layouts are kept: a folder or "
                              "an fsspec URL the workers share (default build/.cache/pdf).")

    @field_validator("executor")
    @classmethod
    def _known(cls, spec: str) -> str:
        problem = executor_problem(spec)
        if problem:
            raise ValueError(problem)
        return spec
