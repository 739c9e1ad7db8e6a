"""The shared ground of every stage: diagnostics, the data model (manuscripts, anthologies),
the project's config schema, page setup, paths, atomic files and worker processes."""
