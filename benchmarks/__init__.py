"""Benchmarks that compare the server with a baseline measured in the same run."""
