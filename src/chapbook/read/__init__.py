"""Read: each manuscript file, in any supported format, becomes a validated `Manuscript`
(metadata, and its body as a safe XHTML fragment) or located diagnostics; the pool and its cache."""
