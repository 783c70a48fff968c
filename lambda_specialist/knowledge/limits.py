"""Lambda and integration limits as data, with the date they were last checked."""

from datetime import date

__all__ = [
    "API_GATEWAY_HTTP_TIMEOUT_S",
    "API_GATEWAY_REST_TIMEOUT_S",
    "ASYNC_PAYLOAD_BYTES",
    "CHECKED_ON",
    "DIRECT_UPLOAD_ZIPPED_BYTES",
    "ENVIRONMENT_BYTES",
    "EPHEMERAL_STORAGE_FREE_MB",
    "LAYERS_PER_FUNCTION",
    "MEMORY_MB_RANGE",
    "SOURCE",
    "SQS_VISIBILITY_FACTOR",
    "SYNC_PAYLOAD_BYTES",
    "TIMEOUT_MAX_S",
    "UNZIPPED_CODE_AND_LAYERS_BYTES",
]

CHECKED_ON = date(2026, 12, 1)
SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"

LAYERS_PER_FUNCTION = 5
DIRECT_UPLOAD_ZIPPED_BYTES = 50 * 1024 * 1024
# The API's error text quotes 262,144,000 bytes for code plus all layers, unzipped.
UNZIPPED_CODE_AND_LAYERS_BYTES = 262_144_000
ENVIRONMENT_BYTES = 4 * 1024
SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024
ASYNC_PAYLOAD_BYTES = 1024 * 1024
TIMEOUT_MAX_S = 900
MEMORY_MB_RANGE = (128, 10_240)
EPHEMERAL_STORAGE_FREE_MB = 512
# https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (REST default;
# raisable for Regional and private REST APIs since 2024-06), HTTP APIs: 30 s maximum.
API_GATEWAY_REST_TIMEOUT_S = 29
API_GATEWAY_HTTP_TIMEOUT_S = 30
# https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
SQS_VISIBILITY_FACTOR = 6
