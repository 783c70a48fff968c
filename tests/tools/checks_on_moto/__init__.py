"""The inspect catalogue run against resources built in moto."""
