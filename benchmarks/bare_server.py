"""A bare MCP server with one trivial tool: the baseline that start-up is compared with."""

from mcp.server.mcpserver import MCPServer

server = MCPServer("bare-baseline")


@server.tool()
def echo(text: str) -> str:
    """Return the given text unchanged."""
    return text


if __name__ == "__main__":
    server.run()
