"""A build: its options, the up-to-date check and the workers' start (before the pipeline
loads), the pipeline itself (read, collect, render, write), the output lock, `chapbook init`."""
