"""The web edition (a static site per book), the press site and the OPDS catalogues."""
