"""Importers: exports from where reviews live (Letterboxd, Goodreads, WordPress, generic
CSV and JSON Lines) written into the pool as manuscripts, never over an existing file."""
