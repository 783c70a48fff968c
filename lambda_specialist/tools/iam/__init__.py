"""The IAM policy engine behind diff_iam_policy: parse, bind to the catalog, diff, propose.

Nothing here imports the catalog package at import time; it loads on the first diff.
"""

from lambda_specialist.tools.iam.diff import diff_iam_policy, diff_policies, needs_account
from lambda_specialist.tools.iam.models import PolicyDiff

__all__ = ["PolicyDiff", "diff_iam_policy", "diff_policies", "needs_account"]
