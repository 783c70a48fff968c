"""The SAM template passes cfn-lint (errors and warnings); the Slack manifest is consistent."""

from __future__ import annotations

from pathlib import Path

import yaml
from cfnlint.api import lint_all

ROOT = Path(__file__).resolve().parents[2]


def test_the_sam_template_passes_cfn_lint() -> None:
    template = (ROOT / "deploy" / "template.yaml").read_text(encoding="utf-8")

    problems = [str(m) for m in lint_all(template) if m.rule.id[0] in {"E", "W"}]

    assert problems == []


def test_the_slack_manifest_points_commands_and_buttons_at_the_events_url() -> None:
    manifest = yaml.safe_load(
        (ROOT / "lambda_specialist" / "slack_app" / "manifest.yaml").read_text(encoding="utf-8")
    )

    command = manifest["features"]["slash_commands"][0]
    assert (command["command"], command["url"]) == ("/lambda", "https://YOUR-HOST/slack/events")
    assert manifest["settings"]["interactivity"]["request_url"] == command["url"]
