"""Register the layer tools: generate_layer (build a zip) and inspect_layer (the layer doctor)."""

from __future__ import annotations

import logging
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from lambda_specialist.aws.content import download_content
from lambda_specialist.server.runner import (
    READ_ONLY,
    Profile,
    Region,
    RoleArn,
    ToolRunner,
    clean_doc,
    progress_reporter,
)
from lambda_specialist.tools.layers.doctor import (
    LayerInspection,
    inspect_layer,
    inspect_local_layer,
    is_local_reference,
)
from lambda_specialist.tools.layers.generate import LayerBuild, generate_layer

__all__ = ["register_layer_tools"]

logger = logging.getLogger(__name__)

# It writes a local file (the zip) and nothing in AWS; the same inputs write the same bytes.
WRITES_LOCAL_FILE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)
Runtime = Annotated[
    str | None,
    Field(
        description="Runtime to check against, e.g. 'python3.12'; the function's or the "
        "layer's declared runtimes if omitted."
    ),
]
Architecture = Annotated[
    str | None,
    Field(
        description="'x86_64' or 'arm64' to check against; the function's or the layer's "
        "declared architectures if omitted."
    ),
]


def register_layer_tools(server: MCPServer, runner: ToolRunner) -> None:
    """Add generate_layer and inspect_layer to ``server``."""

    @server.tool(name="generate_layer", title="Build a Lambda layer", annotations=WRITES_LOCAL_FILE)
    @clean_doc
    async def generate_layer_tool(
        ctx: Context,
        requirements: Annotated[
            str | list[str],
            Field(
                description="What to install: a requirements.txt text, or a list such as "
                "['pydantic==2.11.7', 'requests>=2.32']. Requirement lines only."
            ),
        ],
        runtime: Annotated[
            str, Field(description="Target Python runtime, 'python3.9' to 'python3.14'.")
        ],
        architecture: Annotated[
            str, Field(description="Target architecture: 'x86_64' or 'arm64'.")
        ] = "x86_64",
        slim: Annotated[
            bool,
            Field(
                description="Remove byte code, tests folders, non-importable docs folders and "
                "console scripts; package metadata (.dist-info) is always kept."
            ),
        ] = True,
        output_path: Annotated[
            str | None,
            Field(
                description="Where to write the .zip; a new file named after the runtime, "
                "architecture and hash in the server's current directory if omitted."
            ),
        ] = None,
        exclude_runtime_packages: Annotated[
            bool,
            Field(
                description="Leave out boto3, botocore, s3transfer, jmespath and awslambdaric, "
                "which the runtime provides, unless they are named in requirements."
            ),
        ] = True,
    ) -> LayerBuild:
        """Build a layer zip for a Python runtime and architecture, and verify it will load.

        Use it to package dependencies as a Lambda layer without Docker, from any machine:
        pip installs wheels for the target (every manylinux tag the runtime's glibc allows,
        CPython of the runtime's version) into python/; packages with no wheel are built here
        only if they are pure Python. Then every native library is checked (CPU architecture
        and GLIBC symbol versions read from the ELF file, CPython ABI tag), sizes are measured
        against the 50 MB upload and 250 MB unzipped limits, and the zip is written
        reproducibly (same inputs, same SHA-256). Returns the path, sha256 and code_sha256
        (what Lambda reports as CodeSha256 after publishing), per-package sizes and warnings.
        Reads PyPI (or the index pip is configured with); writes one local file; changes
        nothing in AWS. Takes seconds to a few minutes, depending on downloads.

        Limitations: Python runtimes only (for Node.js use npm with --cpu/--os). Packages
        that need a compiler and have no wheel for the target are refused: build those in a
        container. pip evaluates environment markers (python_version, platform_machine) for
        this machine's interpreter, not the target's. Publishing the layer is not done here.
        """
        progress = progress_reporter(ctx)
        return await runner.run_local(
            "generate_layer",
            lambda: generate_layer(
                requirements=requirements,
                runtime=runtime,
                architecture=architecture,
                slim=slim,
                output_path=output_path,
                exclude_runtime_packages=exclude_runtime_packages,
                progress=progress,
            ),
        )

    @server.tool(name="inspect_layer", title="Diagnose Lambda layers", annotations=READ_ONLY)
    @clean_doc
    async def inspect_layer_tool(
        layer: Annotated[
            str | None,
            Field(
                description="A layer version ARN, 'name:version' in this account and region, "
                "or the path of a local layer .zip.",
                max_length=1024,
            ),
        ] = None,
        function_name: Annotated[
            str | None,
            Field(
                description="Check every layer of this function (name or ARN) against its "
                "runtime and architecture, and across each other.",
                max_length=256,
            ),
        ] = None,
        runtime: Runtime = None,
        architecture: Architecture = None,
        region: Region = None,
        profile: Profile = None,
        role_arn: RoleArn = None,
    ) -> LayerInspection:
        """Download Lambda layers and explain what in them would fail at run time.

        Use it when a function fails at import ('No module named', 'invalid ELF header',
        "GLIBC_2.28 not found"), before attaching a layer, or to review a function's layers.
        Reads lambda:GetFunctionConfiguration and lambda:GetLayerVersion, downloads each
        layer's zip (at most 250 MB each) and reads it: every native file's CPU architecture
        and GLIBC needs from its ELF header, CPython ABI tags, the folder layout the runtime
        searches, file permissions, bundled boto3/botocore/s3transfer, and packages present in
        several of the function's layers. Findings LY-04 to LY-07 carry evidence and a fix.
        Changes nothing. A local .zip path is read without contacting AWS.

        Limitations: layout and ABI checks cover Python and Node.js layers; Java and Ruby
        layers get the native-code and permission checks only.
        """
        if layer is not None and function_name is None and is_local_reference(layer):
            path = layer
            return await runner.run_local(
                "inspect_layer",
                lambda: inspect_local_layer(path, runtime=runtime, architecture=architecture),
            )
        return await runner.run(
            "inspect_layer",
            lambda aws: inspect_layer(
                aws,
                lambda location, what: download_content(location, what=what),
                layer=layer,
                function_name=function_name,
                runtime=runtime,
                architecture=architecture,
            ),
            region=region,
            profile=profile,
            role_arn=role_arn,
        )
