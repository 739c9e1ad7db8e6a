"""The Python API: `chapbook.Project`, its inputs and its `BuildResult`. It sits above
the build and below the command line, which is a thin shell over it."""
