"""The only part of the package that talks to AWS (boto3 is imported here and nowhere else)."""
