/**
 * One call starts everything the tests talk to, on loopback only, on free ports:
 *   radosgw (real S3) <- If-Match proxy (S3 conditional-write semantics; temporary keys) <- [latency proxy]
 *   CodeArtifact stub <- [latency proxy]          STS stub
 * and writes temporary AWS config/credentials files whose profiles hold keys the servers know.
 *
 * `env` choices: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE point at the temp files; AWS_ENDPOINT_URL_S3 /
 * _CODEARTIFACT / _STS point at the local servers (the shipped code needs no test-only path); AWS_EC2_METADATA_DISABLED
 * stops the SDK probing 169.254.169.254. AWS_PROFILE and AWS_REGION are NOT set: profiles carry their region, and the
 * product must pick the profile itself. Use `sandboxProcessEnv()` to build a child environment: it also removes every
 * AWS_* variable inherited from the developer's shell (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...), which `env` cannot express.
 * SSO: `sso-user` has no cached token only as long as ~/.aws/sso/cache has none for session `corp`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CodeArtifactStub, startCodeArtifactStub } from '../servers/codeartifactStub';
import { startIfMatchProxy, IfMatchProxy } from '../servers/ifmatchProxy';
import { KeyRegistry } from '../servers/keys';
import { LatencyProxy, startLatencyProxy } from '../servers/latencyProxy';
import { PypiStandIn, startPypiStandIn } from '../servers/pypiStandIn';
import { Rgw, RgwUser, startRgw } from '../servers/rgw';
import { StsStub, startStsStub } from '../servers/stsStub';
import { SsoStub, startSsoStub } from '../servers/ssoStub';
import { MwaaStub, startMwaaStub } from '../servers/mwaaStub';
import {
  ROLE_DEPLOYER_ARN,
  ROLE_MFA_ADMIN_ARN,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_KMS_KEY_ID,
  SANDBOX_MFA_CODE,
  SANDBOX_MFA_SERIAL,
  SEED,
  seedObjects,
  seedTokens,
  type SeedObject,
} from './seed';

export * from './seed';
export type { CodeArtifactStub, CodeArtifactBehavior, CodeArtifactCall } from '../servers/codeartifactStub';
export type { StsStub, StsCall } from '../servers/stsStub';
export type { SsoStub, SsoCall } from '../servers/ssoStub';
export type { IfMatchProxy } from '../servers/ifmatchProxy';
export type { LatencyProxy } from '../servers/latencyProxy';
export type { PypiStandIn, PypiRequest, ProxyConnect } from '../servers/pypiStandIn';
export type { MwaaStub, MwaaBehavior, MwaaCall, MwaaEnvironmentSeed, StubEnvironment } from '../servers/mwaaStub';

export interface SandboxOptions {
  /** State folder; default a fresh mkdtemp folder, removed by stop(). A given folder is kept. */
  dir?: string;
  /** Puts a latency proxy (this many ms per round trip) in front of S3 and CodeArtifact. */
  latencyMs?: number;
  /** Versioning on the seeded buckets; default true (MWAA buckets are versioned). */
  versioned?: boolean;
  /** Log progress lines (ports, timings). */
  log?: (line: string) => void;
}

export type SandboxProfileKind = 'static' | 'role' | 'role-mfa' | 'process' | 'sso';

export interface SandboxProfile {
  kind: SandboxProfileKind;
  /** The static key the profile resolves to (static/process); role profiles get temporary keys from STS. */
  accessKeyId?: string;
  region?: string;
  roleArn?: string;
  sourceProfile?: string;
  mfaSerial?: string;
}

export interface Sandbox {
  env: Record<string, string>;
  dir: string;
  configFile: string;
  credentialsFile: string;
  endpoints: { s3: string; s3Direct: string; codeartifact: string; sts: string; sso: string; mwaa: string };
  codeartifact: CodeArtifactStub;
  sts: StsStub;
  /** IAM Identity Center portal (GetRoleCredentials), reached through AWS_ENDPOINT_URL_SSO. */
  sso: SsoStub;
  s3proxy: IfMatchProxy;
  /**
   * HTTPS stand-in for CodeArtifact's PyPI endpoint (any DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com), checking
   * tokens against `codeartifact`'s issued ones, reached through its CONNECT proxy: a real pip needs
   * HTTPS_PROXY=proxyUrl and PIP_CERT=caFile (test/support/clients/pip.ts sets both). Not in `env`: the editor
   * must not send its own traffic through the proxy.
   */
  pypi: PypiStandIn;
  /** Amazon MWAA (AWS_ENDPOINT_URL_MWAA): environments seeded by the tests into their own radosgw buckets. */
  mwaa: MwaaStub;
  /** Present when latencyMs was given. */
  latency?: { s3: LatencyProxy; codeartifact: LatencyProxy };
  keys: KeyRegistry;
  /** Path-style client (admin rgw user, straight to radosgw) for seeding and checking objects. */
  admin: S3Client;
  profiles: Record<string, SandboxProfile>;
  accountId: string;
  bucket: string;
  /** The synthetic (expired) tokens written into the seeded objects. */
  seedTokens: { primary: string; second: string };
  /** Whether the SSE-KMS part of the metadata object was seeded (radosgw 16.2 has no SSE-S3/AES256). */
  sseKms: boolean;
  timings: { rgwMs: number; seedMs: number; totalMs: number };
  stop(): Promise<void>;
}

interface StaticUser extends RgwUser {
  profile: string;
}

const ADMIN: RgwUser = { uid: 'sandbox-admin', accessKeyId: 'AKIASANDBOXADMIN0001', secretAccessKey: 'sandbox/admin/secret/key/0000000000000001' };
const USERS: StaticUser[] = [
  { profile: 'default', uid: 'default', accessKeyId: 'AKIASANDBOXDEFAULT01', secretAccessKey: 'sandbox/default/secret/key/00000000000001' },
  { profile: 'dev', uid: 'dev', accessKeyId: 'AKIASANDBOXDEV000001', secretAccessKey: 'sandbox/dev/secret/key/000000000000000001' },
  { profile: 'ops', uid: 'ops', accessKeyId: 'AKIASANDBOXOPS000001', secretAccessKey: 'sandbox/ops/secret/key/000000000000000001' },
  { profile: 'proc', uid: 'proc', accessKeyId: 'AKIASANDBOXPROC00001', secretAccessKey: 'sandbox/proc/secret/key/00000000000000001' },
];

function configText(s3: string, procUser: StaticUser): string {
  const procCmd = `"${process.execPath}" -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'${procUser.accessKeyId}',SecretAccessKey:'${procUser.secretAccessKey}'}))"`;
  return `# Written by the test sandbox (test/support/sandbox). Synthetic keys only.
[default]
region = us-east-1

[profile dev]
region = us-east-1

[profile ops]
region = eu-west-1

[profile deployer]
role_arn = ${ROLE_DEPLOYER_ARN}
source_profile = dev
region = us-east-1

[profile mfa-admin]
role_arn = ${ROLE_MFA_ADMIN_ARN}
source_profile = ops
mfa_serial = ${SANDBOX_MFA_SERIAL}
region = us-east-1

[profile proc]
credential_process = ${procCmd}
region = us-east-1

[profile sso-user]
sso_session = corp
sso_account_id = ${SANDBOX_ACCOUNT_ID}
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = https://corp-sandbox.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[services local]
s3 =
  endpoint_url = ${s3}
`;
}

function credentialsText(): string {
  return (
    '# Written by the test sandbox (test/support/sandbox). Synthetic keys only.\n' +
    USERS.filter((u) => u.profile !== 'proc')
      .map((u) => `[${u.profile}]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`)
      .join('\n')
  );
}

/** A child-process environment for the sandbox: `base` minus every inherited AWS_* variable, plus `sandbox.env`. */
export function sandboxProcessEnv(sandbox: Pick<Sandbox, 'env'>, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !k.startsWith('AWS_')) out[k] = v;
  return { ...out, ...sandbox.env };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ? path.resolve(opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'car-sandbox-'));
  fs.mkdirSync(dir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  let rgw: Rgw | undefined;
  const killSync = (): void => rgw?.killSync();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`sandbox: ${signal}, stopping`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('exit', killSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let stopped = false;
  async function stopAll(): Promise<void> {
    if (stopped) return;
    stopped = true;
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`sandbox: stop failed: ${String(e)}`));
    process.off('exit', killSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    const keys = new KeyRegistry();
    for (const u of [ADMIN, ...USERS]) keys.add({ accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey, arn: `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:user/${u.uid}` });

    // The stubs start in milliseconds; radosgw takes ~15 s, so it runs concurrently with them.
    const rgwP = startRgw({ dir: path.join(dir, 'rgw'), users: [ADMIN, ...USERS] });
    const codeartifact = await startCodeArtifactStub({ registry: keys });
    stops.push(() => codeartifact.stop());
    const sts = await startStsStub({ registry: keys });
    stops.push(() => sts.stop());
    const sso = await startSsoStub({ registry: keys });
    stops.push(() => sso.stop());
    const pypi = await startPypiStandIn({ tokens: codeartifact, dir });
    stops.push(() => pypi.stop());
    log(`sandbox: PyPI stand-in behind CONNECT proxy ${pypi.proxyUrl} (CA ${pypi.caFile})`);
    sts.setRole(ROLE_MFA_ADMIN_ARN, { mfaSerial: SANDBOX_MFA_SERIAL, mfaCode: SANDBOX_MFA_CODE });
    rgw = await rgwP.catch((e: unknown) => {
      throw e;
    });
    const rgwRef = rgw;
    stops.push(() => rgwRef.stop());
    log(`sandbox: radosgw ready on ${rgw.endpoint} in ${rgw.startupMs} ms`);
    const s3proxy = await startIfMatchProxy({ target: rgw.endpoint, registry: keys });
    stops.push(() => s3proxy.stop());

    let latency: Sandbox['latency'];
    let s3 = s3proxy.endpoint;
    let caEndpoint = codeartifact.endpoint;
    if (opts.latencyMs !== undefined) {
      const ls3 = await startLatencyProxy({ target: s3proxy.endpoint, latencyMs: opts.latencyMs });
      stops.push(() => ls3.stop());
      const lca = await startLatencyProxy({ target: codeartifact.endpoint, latencyMs: opts.latencyMs });
      stops.push(() => lca.stop());
      latency = { s3: ls3, codeartifact: lca };
      s3 = ls3.endpoint;
      caEndpoint = lca.endpoint;
    }

    const admin = new S3Client({ region: 'us-east-1', endpoint: rgw.endpoint, forcePathStyle: true, credentials: { accessKeyId: ADMIN.accessKeyId, secretAccessKey: ADMIN.secretAccessKey } });
    stops.push(async () => admin.destroy());
    const mwaa = await startMwaaStub({ registry: keys, admin, accountId: SANDBOX_ACCOUNT_ID, principals: bucketPrincipals() });
    stops.push(() => mwaa.stop());
    const tokens = seedTokens();
    const seedStart = Date.now();
    const sseKms = await seed(admin, opts.versioned ?? true, tokens, log);
    const seedMs = Date.now() - seedStart;
    log(`sandbox: seeded in ${seedMs} ms`);

    const configFile = path.join(dir, 'config');
    const credentialsFile = path.join(dir, 'credentials');
    const proc = USERS.find((u) => u.profile === 'proc')!;
    fs.writeFileSync(configFile, configText(s3, proc), { mode: 0o600 });
    fs.writeFileSync(credentialsFile, credentialsText(), { mode: 0o600 });

    const byProfile = (p: string): string => USERS.find((u) => u.profile === p)!.accessKeyId;
    const profiles: Record<string, SandboxProfile> = {
      default: { kind: 'static', accessKeyId: byProfile('default'), region: 'us-east-1' },
      dev: { kind: 'static', accessKeyId: byProfile('dev'), region: 'us-east-1' },
      ops: { kind: 'static', accessKeyId: byProfile('ops'), region: 'eu-west-1' },
      deployer: { kind: 'role', roleArn: ROLE_DEPLOYER_ARN, sourceProfile: 'dev', region: 'us-east-1' },
      'mfa-admin': { kind: 'role-mfa', roleArn: ROLE_MFA_ADMIN_ARN, sourceProfile: 'ops', mfaSerial: SANDBOX_MFA_SERIAL, region: 'us-east-1' },
      proc: { kind: 'process', accessKeyId: proc.accessKeyId, region: 'us-east-1' },
      'sso-user': { kind: 'sso', region: 'us-east-1' },
    };
    const env: Record<string, string> = {
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_ENDPOINT_URL_S3: s3,
      AWS_ENDPOINT_URL_CODEARTIFACT: caEndpoint,
      AWS_ENDPOINT_URL_STS: sts.endpoint,
      AWS_ENDPOINT_URL_SSO: sso.endpoint,
      AWS_ENDPOINT_URL_MWAA: mwaa.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const totalMs = Date.now() - t0;
    log(`sandbox: ready in ${totalMs} ms (s3 ${s3}, codeartifact ${caEndpoint}, sts ${sts.endpoint})`);
    return {
      env,
      dir,
      configFile,
      credentialsFile,
      endpoints: { s3, s3Direct: rgw.endpoint, codeartifact: caEndpoint, sts: sts.endpoint, sso: sso.endpoint, mwaa: mwaa.endpoint },
      codeartifact,
      sts,
      sso,
      s3proxy,
      pypi,
      mwaa,
      latency,
      keys,
      admin,
      profiles,
      accountId: SANDBOX_ACCOUNT_ID,
      bucket: SEED.bucket,
      seedTokens: tokens,
      sseKms,
      timings: { rgwMs: rgw.startupMs, seedMs, totalMs },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Every rgw user of the sandbox, as bucket-policy principals (one account's IAM users). */
function bucketPrincipals(): string[] {
  return [ADMIN, ...USERS].map((u) => `arn:aws:iam:::user/${u.uid}`);
}

async function seed(admin: S3Client, versioned: boolean, tokens: { primary: string; second: string }, log: (l: string) => void): Promise<boolean> {
  // The admin too: on radosgw an object belongs to its writer, so the bucket owner needs the policy to read it back.
  const principals = bucketPrincipals();
  for (const bucket of [SEED.bucket, SEED.crlfBucket]) {
    const t = Date.now();
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    log(`sandbox: bucket ${bucket} created in ${Date.now() - t} ms`);
    if (versioned) await admin.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    // Buckets belong to the admin user; every profile's rgw user may use them (like one account's IAM users).
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: ['s3:*'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }] };
    await admin.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  }
  let sseKms = true;
  for (const o of seedObjects(tokens)) {
    if (o.kms) {
      try {
        await putSeedObject(admin, o, true);
        continue;
      } catch (e) {
        sseKms = false;
        log(`sandbox: WARNING radosgw refused SSE-KMS (${(e as Error).name}); ${o.key} is seeded WITHOUT encryption`);
      }
    }
    await putSeedObject(admin, o, false);
  }
  return sseKms;
}

/** Puts one seeded object as the admin; `kms` adds SSE-KMS for objects seeded with it. Also used to re-seed. */
export async function putSeedObject(admin: S3Client, o: SeedObject, kms: boolean): Promise<void> {
  await admin.send(
    new PutObjectCommand({
      Bucket: o.bucket,
      Key: o.key,
      Body: o.body,
      ContentType: o.contentType,
      CacheControl: o.cacheControl,
      ContentDisposition: o.contentDisposition,
      Metadata: o.metadata,
      ...(kms && o.kms ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: SANDBOX_KMS_KEY_ID } : {}),
    }),
  );
}
