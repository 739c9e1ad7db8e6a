"""Collect: the pool and `chapbook.toml` become one `Anthology` per book: selection, order,
parts, checks across the pool, generated back matter."""
