"""The tools: pure domain logic that takes an AWS context and returns pydantic results."""
