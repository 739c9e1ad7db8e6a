"""The print edition, the only package that imports WeasyPrint: glyph preflight, one pass or
chunks laid out in workers (`worker.py`, their entry point) and cached, assembly with global
folios, one embedded font per face, and the raster of a generated cover."""
