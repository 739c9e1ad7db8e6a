"""The EPUB edition: the only package that imports ebooklib. Cover, fonts and resources,
the package and its reproducible zip, accessibility metadata, EPUBCheck."""
