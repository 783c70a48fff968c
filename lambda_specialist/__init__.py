"""An AWS Lambda specialist served over MCP, Slack and a CLI."""

__all__ = ["__version__"]

__version__ = "0.1.0"
