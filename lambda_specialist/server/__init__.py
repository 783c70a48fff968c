"""The MCP surface: tools, prompts and transports."""
