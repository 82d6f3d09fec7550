/** What the sandbox seeds into radosgw: names exported so tests refer to them instead of repeating strings. */
import * as crypto from 'node:crypto';
import { syntheticToken } from '../servers/codeartifactStub';

export const SANDBOX_ACCOUNT_ID = '111122223333';
export const SANDBOX_ROLE_ACCOUNT_ID = '444455556666';
export const SANDBOX_MFA_SERIAL = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:mfa/ops-person`;
/** The one-time code the STS stub accepts for the `mfa-admin` role. */
export const SANDBOX_MFA_CODE = '123456';
export const ROLE_DEPLOYER_ARN = `arn:aws:iam::${SANDBOX_ROLE_ACCOUNT_ID}:role/deployer`;
export const ROLE_MFA_ADMIN_ARN = `arn:aws:iam::${SANDBOX_ROLE_ACCOUNT_ID}:role/mfa-admin`;
/** SSE-KMS key id known to radosgw's "testing" KMS backend (see start-rgw.sh). */
export const SANDBOX_KMS_KEY_ID = 'sandbox-kms-key';

export const SEED = {
  /** Versioned bucket laid out like an MWAA environment. */
  bucket: 'mwaa-dev-environment',
  codeartifactKey: 'dags/codeartifact.txt',
  requirementsKey: 'dags/requirements.txt',
  /** text/plain with CacheControl, ContentDisposition, user metadata and SSE-KMS: a write must carry them over. */
  metadataKey: 'dags/with-metadata.txt',
  /** Text larger than 1 MiB (the reader refuses it). */
  largeKey: 'dags/large.txt',
  /** Binary bytes (the reader refuses them as not text). */
  binaryKey: 'plugins/plugins.zip',
  /** Second bucket: CRLF line endings, two domains in two regions/owners. */
  crlfBucket: 'mwaa-ops-environment',
  crlfKey: 'dags/codeartifact.txt',
  domain: 'mydomain',
  repository: 'my-repo',
  region: 'us-east-1',
  secondDomain: 'otherdomain',
  secondDomainOwner: SANDBOX_ROLE_ACCOUNT_ID,
  secondRegion: 'eu-west-1',
} as const;

export const SEED_METADATA = {
  contentType: 'text/plain; charset=utf-8',
  cacheControl: 'no-cache, max-age=0',
  contentDisposition: 'inline',
  metadata: { owner: 'data-team', purpose: 'pip-config' } as Record<string, string>,
};

/** A CodeArtifact repository endpoint's host: DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com. */
export function repositoryHost(domain: string = SEED.domain, owner: string = SANDBOX_ACCOUNT_ID, region: string = SEED.region): string {
  return `${domain}-${owner}.d.codeartifact.${region}.amazonaws.com`;
}

export function indexUrl(token: string, domain: string = SEED.domain, owner: string = SANDBOX_ACCOUNT_ID, region: string = SEED.region): string {
  return `https://aws:${token}@${repositoryHost(domain, owner, region)}/pypi/${SEED.repository}/simple/`;
}

/** Synthetic, already-expired tokens put into the seeded objects (they are what a refresh replaces). */
export function seedTokens(): { primary: string; second: string } {
  const now = Math.floor(Date.now() / 1000);
  return { primary: syntheticToken(now - 50_000, now - 6_800), second: syntheticToken(now - 50_000, now - 6_800) };
}

/** A synthetic token issued 12 hours before `nowSec` that expired 30 minutes before it (files "opened yesterday"). */
export function expiredToken(nowSec: number = Math.floor(Date.now() / 1000)): string {
  return syntheticToken(nowSec - 12 * 3600, nowSec - 30 * 60);
}

export interface SeedObject {
  bucket: string;
  key: string;
  body: Buffer | string;
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  metadata?: Record<string, string>;
  kms?: boolean;
}

export function seedObjects(tokens: { primary: string; second: string }): SeedObject[] {
  const big = Array.from({ length: 24_000 }, (_, i) => `line ${i} ${'x'.repeat(56)}\n`).join(''); // ~1.6 MB
  const binary = Buffer.concat([Buffer.from('PK\u0003\u0004'), crypto.randomBytes(4096), Buffer.alloc(64)]);
  return [
    { bucket: SEED.bucket, key: SEED.codeartifactKey, body: `--extra-index-url ${indexUrl(tokens.primary)}\n`, contentType: 'text/plain' },
    { bucket: SEED.bucket, key: SEED.requirementsKey, body: '-r /usr/local/airflow/dags/codeartifact.txt\napache-airflow-providers-amazon==8.25.0\nboto3==1.34.0\n', contentType: 'text/plain' },
    { bucket: SEED.bucket, key: SEED.metadataKey, body: `--index-url ${indexUrl(tokens.primary)}\n`, contentType: SEED_METADATA.contentType, cacheControl: SEED_METADATA.cacheControl, contentDisposition: SEED_METADATA.contentDisposition, metadata: SEED_METADATA.metadata, kms: true },
    { bucket: SEED.bucket, key: SEED.largeKey, body: big, contentType: 'text/plain' },
    { bucket: SEED.bucket, key: SEED.binaryKey, body: binary, contentType: 'application/zip' },
    {
      bucket: SEED.crlfBucket,
      key: SEED.crlfKey,
      body: `--index-url ${indexUrl(tokens.primary)}\r\n--extra-index-url ${indexUrl(tokens.second, SEED.secondDomain, SEED.secondDomainOwner, SEED.secondRegion)}\r\n`,
      contentType: 'text/plain',
    },
  ];
}
