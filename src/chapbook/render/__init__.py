"""Render (Jinja2, strings in, strings out): styles, the context both editions share, the
EPUB's XHTML documents and the print HTML. Nothing here writes a file."""
