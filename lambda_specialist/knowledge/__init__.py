"""Dated domain facts as data: runtimes, limits and (later) prices."""
