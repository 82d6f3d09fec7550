"""The same job as the extension, as a person would script it with boto3 (one process): token, get, rewrite, put.
Used by test/bench (npm run bench). Arguments come from the environment; nothing is printed (the token is a secret)."""
import os
import re

import boto3
from botocore.config import Config

session = boto3.session.Session()
ca = session.client("codeartifact", endpoint_url=os.environ["BENCH_CA_ENDPOINT"])
token = ca.get_authorization_token(domain=os.environ["BENCH_DOMAIN"], domainOwner=os.environ["BENCH_OWNER"])["authorizationToken"]
s3 = session.client("s3", endpoint_url=os.environ["BENCH_S3_ENDPOINT"], config=Config(s3={"addressing_style": "path"}))
bucket, key = os.environ["BENCH_BUCKET"], os.environ["BENCH_KEY"]
text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
text = re.sub(r"(aws:)[^@\s]+@", lambda m: m.group(1) + token + "@", text)
s3.put_object(Bucket=bucket, Key=key, Body=text.encode("utf-8"), ContentType="text/plain")
