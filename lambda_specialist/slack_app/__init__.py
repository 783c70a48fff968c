"""The Slack surface: /lambda slash commands over the same tools and guardrails."""
