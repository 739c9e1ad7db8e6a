"""The command line (typer and rich only here): a thin shell that prints and exits."""
