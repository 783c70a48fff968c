"""The specialist persona that MCP clients and Slack use as the model's instructions."""

from functools import cache
from importlib.resources import files

__all__ = ["PERSONA_PROMPT_NAME", "load_persona"]

PERSONA_PROMPT_NAME = "lambda_specialist"


@cache
def load_persona() -> str:
    """Return the specialist persona as markdown.

    The text is read from ``persona.md`` inside this package once per process.

    Returns:
        The persona, ready to serve as an MCP prompt or as a model's system instructions.
    """
    return files(__name__).joinpath("persona.md").read_text(encoding="utf-8")
