"""AWS Distro for OpenTelemetry (ADOT) Lambda layers: names per runtime family, publishers.

The AWS-managed ADOT layers are published per region, by an account that differs in some
regions, with version numbers that differ per region too. This table holds the stable parts
(layer name per runtime family and architecture, the publishing account per region) so the
product builds the ARN prefix for a function's own region and architecture; the version is
looked up in the source table, never guessed.
"""

from dataclasses import dataclass
from datetime import date

__all__ = [
    "CHECKED_ON",
    "SOURCE",
    "WRAPPER",
    "XRAY_SDK_END_OF_SUPPORT",
    "AdotLayer",
    "adot_layer",
    "runtime_family",
]

CHECKED_ON = date(2026, 12, 3)
SOURCE = "https://aws-otel.github.io/docs/getting-started/lambda"
XRAY_SDK_END_OF_SUPPORT = date(2027, 2, 25)
XRAY_SDK_EOS_SOURCE = "https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html"
# The handler wrapper the ADOT layers install; set as AWS_LAMBDA_EXEC_WRAPPER.
WRAPPER = "/opt/otel-instrument"

_DEFAULT_PUBLISHER = "615299751070"
# Regions whose ADOT layers are published by another account (from the release tables of
# aws-observability/aws-otel-python-instrumentation and aws-otel-java-instrumentation).
_PUBLISHERS = {
    "af-south-1": "904233096616",
    "ap-east-1": "888577020596",
    "ap-south-2": "796973505492",
    "ap-southeast-3": "039612877180",
    "ap-southeast-4": "713881805771",
    "ap-southeast-5": "152034782359",
    "ap-southeast-7": "980416031188",
    "eu-central-2": "156041407956",
}
# The account that publishes the collector-only layers (for .NET and Go/custom runtimes, which
# instrument in code and need a collector) in every commercial region.
_COLLECTOR_PUBLISHER = "901920570463"
# Runtime family -> (layer name pattern, language page). "{arch}" is amd64 or arm64 for the
# collector layers, built per architecture; the Distro layers serve both architectures. The
# collector version is the newest aws-cdk-lib names (AdotLambdaLayerGenericVersion.V0_115_0).
_LAYERS = {
    "python": ("AWSOpenTelemetryDistroPython", f"{SOURCE}/lambda-python"),
    "nodejs": ("AWSOpenTelemetryDistroJs", f"{SOURCE}/lambda-js"),
    "java": ("AWSOpenTelemetryDistroJava", f"{SOURCE}/lambda-java"),
    "dotnet": ("aws-otel-collector-{arch}-ver-0-115-0", f"{SOURCE}/lambda-dotnet"),
    "provided": ("aws-otel-collector-{arch}-ver-0-115-0", f"{SOURCE}/lambda-go"),
}
_ARCH = {"x86_64": "amd64", "arm64": "arm64"}


@dataclass(frozen=True)
class AdotLayer:
    """The ADOT layer for one runtime family, region and architecture."""

    family: str
    layer_name: str
    arn_prefix: str
    docs_url: str
    is_auto_instrumenting: bool

    @property
    def lookup_command(self) -> str:
        """The AWS CLI command that lists the layer's versions in its region."""
        return f"aws lambda list-layer-versions --layer-name {self.arn_prefix}"


def runtime_family(runtime: str | None) -> str | None:
    """Return python, nodejs, java, dotnet, ruby or provided; None for container images."""
    if not runtime:
        return None
    for family in ("python", "nodejs", "java", "dotnet", "ruby", "provided"):
        if runtime.startswith(family):
            return family
    return "provided" if runtime.startswith("go") else None


def adot_layer(family: str, *, region: str, architecture: str) -> AdotLayer | None:
    """Return the ADOT layer for ``family`` in ``region`` on ``architecture``; None if none."""
    entry = _LAYERS.get(family)
    if entry is None:
        return None
    pattern, docs = entry
    name = pattern.format(arch=_ARCH.get(architecture, "amd64"))
    partition = "aws-cn" if region.startswith("cn-") else "aws"
    is_collector = "{arch}" in pattern
    publisher = (
        _COLLECTOR_PUBLISHER if is_collector else _PUBLISHERS.get(region, _DEFAULT_PUBLISHER)
    )
    return AdotLayer(
        family=family,
        layer_name=name,
        arn_prefix=f"arn:{partition}:lambda:{region}:{publisher}:layer:{name}",
        docs_url=docs,
        is_auto_instrumenting=not is_collector,
    )
