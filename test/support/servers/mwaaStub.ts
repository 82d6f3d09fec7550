/**
 * Amazon MWAA stub speaking the real protocol (restJson1, SigV4 with signing name `airflow`), for three calls:
 *   GET   /environments[?MaxResults&NextToken]  -> {"Environments": [names]}            (the signer's region only)
 *   GET   /environments/{Name}                  -> {"Environment": {...}}
 *   PATCH /environments/{Name}   {JSON}         -> {"Arn": ...}; Status UPDATING, then AVAILABLE (or UPDATE_FAILED
 *                                                  with LastUpdate.Error when a failure was set)
 * Environments live in radosgw buckets laid out as MWAA does (SourceBucketArn, DagS3Path `dags`, RequirementsS3Path
 * + version, StartupScriptS3Path + version); UpdateEnvironment checks, like MWAA, that each object version it is given
 * exists (ValidationException otherwise) and that the bucket is versioned. Errors: status, `x-amzn-errortype`, JSON
 * `{"message"}`. Every call is recorded with the access key that signed it and the body it sent.
 */
import * as http from 'node:http';
import { CreateBucketCommand, GetBucketVersioningCommand, HeadObjectCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { KeyRegistry, verifySigV4 } from './keys';
import { closeServer, listenLoopback, readBody, sendJson } from './net';

export type MwaaBehavior =
  | { kind: 'accessDenied'; operation?: 'GetEnvironment' | 'UpdateEnvironment' } // 403 AccessDeniedException
  | { kind: 'updateFails'; code: string; message: string }; // the next update ends in UPDATE_FAILED

export interface MwaaCall {
  operation: 'ListEnvironments' | 'GetEnvironment' | 'UpdateEnvironment' | 'Unknown';
  name?: string;
  region?: string;
  service?: string;
  accessKeyId?: string;
  /** The JSON body of UpdateEnvironment, as sent. */
  body?: Record<string, unknown>;
  status: number;
  errorType?: string;
  at: Date;
}

export interface MwaaEnvironmentSeed {
  name: string;
  region: string;
  bucket: string;
  /** Default true. */
  versioned?: boolean;
  airflowVersion?: string;
  dagS3Path?: string;
  requirements?: { key: string; text: string };
  startupScript?: { key: string; text: string };
  /** Further objects (e.g. dags/codeartifact.txt). */
  objects?: { key: string; text: string }[];
  status?: string;
}

export interface StubEnvironment {
  Name: string;
  Arn: string;
  Status: string;
  AirflowVersion: string;
  SourceBucketArn: string;
  DagS3Path: string;
  RequirementsS3Path?: string;
  RequirementsS3ObjectVersion?: string;
  StartupScriptS3Path?: string;
  StartupScriptS3ObjectVersion?: string;
  ExecutionRoleArn: string;
  LastUpdate?: { Status: string; CreatedAt: number; Source?: string; Error?: { ErrorCode: string; ErrorMessage: string } };
  region: string;
}

export interface MwaaStub {
  endpoint: string;
  readonly calls: MwaaCall[];
  /** Creates the bucket (versioned unless told otherwise), puts the objects, and registers the environment. */
  seedEnvironment(seed: MwaaEnvironmentSeed): Promise<StubEnvironment>;
  environment(name: string): StubEnvironment | undefined;
  setBehavior(name: string, behavior: MwaaBehavior | undefined): void;
  /** How long an update stays UPDATING (default 300 ms). */
  updateMs: number;
  /** Largest ListEnvironments page (default 25, MWAA's maximum). */
  pageSize: number;
  reset(): void;
  stop(): Promise<void>;
}

export async function startMwaaStub(opts: { registry: KeyRegistry; admin: S3Client; accountId: string; principals: string[] }): Promise<MwaaStub> {
  const calls: MwaaCall[] = [];
  const envs = new Map<string, StubEnvironment>();
  const behaviors = new Map<string, MwaaBehavior>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const stub = { updateMs: 300, pageSize: 25 };

  async function versionExists(bucket: string, key: string, versionId: string): Promise<boolean> {
    try {
      await opts.admin.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      return true;
    } catch {
      return false;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stub');
    const sig = await verifySigV4(opts.registry, req, raw);
    const m = /^\/environments(?:\/([^/]+))?$/.exec(url.pathname);
    const name = m?.[1] ? decodeURIComponent(m[1]) : undefined;
    const operation: MwaaCall['operation'] = !m ? 'Unknown' : !name && req.method === 'GET' ? 'ListEnvironments' : name && req.method === 'GET' ? 'GetEnvironment' : name && req.method === 'PATCH' ? 'UpdateEnvironment' : 'Unknown';
    let body: Record<string, unknown> | undefined;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
    }
    const call: MwaaCall = { operation, name, region: sig.region, service: sig.service, accessKeyId: sig.accessKeyId, ...(body ? { body } : {}), status: 0, at: new Date() };
    calls.push(call);
    const reply = (status: number, obj: object, errorType?: string) => {
      call.status = status;
      call.errorType = errorType;
      sendJson(res, status, obj, errorType);
    };
    if (!sig.ok) return reply(403, { message: `signature rejected: ${sig.failure}` }, sig.failure === 'ExpiredToken' ? 'ExpiredTokenException' : sig.failure === 'BadSignature' ? 'InvalidSignatureException' : 'UnrecognizedClientException');
    if (sig.service !== 'airflow') return reply(403, { message: `Credential should be scoped to correct service: 'airflow'.` }, 'InvalidSignatureException');
    if (operation === 'Unknown') return reply(404, { message: `No route for ${req.method} ${url.pathname}` }, 'UnknownOperationException');
    const arn = (n: string) => `arn:aws:airflow:${sig.region}:${opts.accountId}:environment/${n}`;
    if (operation === 'ListEnvironments') {
      // Pages of at most min(MaxResults, pageSize); NextToken is opaque base64 (with '=' and '/', as real tokens have).
      const all = [...envs.values()].filter((e) => e.region === sig.region).map((e) => e.Name);
      const size = Math.min(Number(url.searchParams.get('MaxResults') ?? 25) || 25, stub.pageSize);
      const token = url.searchParams.get('NextToken');
      let from = 0;
      if (token) {
        try {
          from = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { from: number; pad: string }).from;
        } catch {
          return reply(400, { message: 'Invalid NextToken' }, 'ValidationException');
        }
      }
      const page = all.slice(from, from + size);
      const more = from + size < all.length;
      return reply(200, { Environments: page, ...(more ? { NextToken: Buffer.from(JSON.stringify({ from: from + size, pad: '??>>' })).toString('base64') } : {}) });
    }
    const env = envs.get(name!);
    if (!env || env.region !== sig.region) return reply(404, { message: `Environment ${name} not found` }, 'ResourceNotFoundException');
    const b = behaviors.get(env.Name);
    if (b?.kind === 'accessDenied' && (b.operation ?? 'UpdateEnvironment') === operation) {
      return reply(403, { message: `User: ${sig.key?.arn ?? 'unknown'} is not authorized to perform: airflow:${operation} on resource: ${arn(env.Name)}` }, 'AccessDeniedException');
    }
    if (operation === 'GetEnvironment') {
      const { region: _r, ...shown } = env;
      return reply(200, { Environment: shown });
    }
    // UpdateEnvironment
    if (env.Status !== 'AVAILABLE' && env.Status !== 'UPDATE_FAILED') return reply(409, { message: `Environment ${env.Name} is ${env.Status}; wait until it is AVAILABLE.` }, 'ValidationException');
    if (!body) return reply(400, { message: 'The request body is not JSON.' }, 'ValidationException');
    const bucket = env.SourceBucketArn.replace(/^arn:aws:s3:::/, '');
    const versioning = await opts.admin.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    if (versioning.Status !== 'Enabled') return reply(400, { message: `Bucket ${bucket} must have versioning enabled.` }, 'ValidationException');
    const next = { ...env };
    for (const [path, version] of [['RequirementsS3Path', 'RequirementsS3ObjectVersion'], ['StartupScriptS3Path', 'StartupScriptS3ObjectVersion']] as const) {
      const p = (body[path] as string | undefined) ?? env[path];
      const v = body[version] as string | undefined;
      if (body[path] !== undefined) next[path] = String(body[path]);
      if (v === undefined) continue;
      if (!p || !(await versionExists(bucket, p, v))) return reply(400, { message: `Unable to read version ${v} of s3://${bucket}/${p ?? ''}.` }, 'ValidationException');
      next[version] = v;
    }
    const failure = b?.kind === 'updateFails' ? b : undefined;
    if (failure) behaviors.delete(env.Name);
    const previous = { ...env };
    Object.assign(env, { Status: 'UPDATING', LastUpdate: { Status: 'PENDING', CreatedAt: Math.floor(Date.now() / 1000), Source: 'Update' } });
    const t = setTimeout(() => {
      timers.delete(t);
      if (failure) {
        // A failed update rolls the configuration back and reports the error.
        Object.assign(env, { ...previous, Status: 'UPDATE_FAILED', LastUpdate: { Status: 'FAILED', CreatedAt: env.LastUpdate!.CreatedAt, Source: 'Update', Error: { ErrorCode: failure.code, ErrorMessage: failure.message } } });
      } else {
        Object.assign(env, { ...next, Status: 'AVAILABLE', LastUpdate: { Status: 'SUCCESS', CreatedAt: env.LastUpdate!.CreatedAt, Source: 'Update' } });
      }
    }, stub.updateMs);
    timers.add(t);
    return reply(200, { Arn: env.Arn });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' }).end(JSON.stringify({ message: `stub error: ${(e as Error).message}` }));
    });
  });
  const endpoint = await listenLoopback(server, 0);

  async function put(bucket: string, key: string, text: string): Promise<string | undefined> {
    const r = await opts.admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'text/plain' }));
    return r.VersionId;
  }

  return {
    endpoint,
    calls,
    get updateMs() {
      return stub.updateMs;
    },
    set updateMs(v: number) {
      stub.updateMs = v;
    },
    get pageSize() {
      return stub.pageSize;
    },
    set pageSize(v: number) {
      stub.pageSize = v;
    },
    async seedEnvironment(seed) {
      try {
        await opts.admin.send(new CreateBucketCommand({ Bucket: seed.bucket }));
      } catch (e) {
        if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test((e as Error).name)) throw e;
      }
      if (seed.versioned ?? true) await opts.admin.send(new PutBucketVersioningCommand({ Bucket: seed.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: opts.principals }, Action: ['s3:*'], Resource: [`arn:aws:s3:::${seed.bucket}`, `arn:aws:s3:::${seed.bucket}/*`] }] };
      await opts.admin.send(new PutBucketPolicyCommand({ Bucket: seed.bucket, Policy: JSON.stringify(policy) }));
      for (const o of seed.objects ?? []) await put(seed.bucket, o.key, o.text);
      const env: StubEnvironment = {
        Name: seed.name,
        Arn: `arn:aws:airflow:${seed.region}:${opts.accountId}:environment/${seed.name}`,
        Status: seed.status ?? 'AVAILABLE',
        AirflowVersion: seed.airflowVersion ?? '2.10.3',
        SourceBucketArn: `arn:aws:s3:::${seed.bucket}`,
        DagS3Path: seed.dagS3Path ?? 'dags',
        ExecutionRoleArn: `arn:aws:iam::${opts.accountId}:role/service-role/AmazonMWAA-${seed.name}`,
        LastUpdate: { Status: 'SUCCESS', CreatedAt: Math.floor(Date.now() / 1000) - 86_400, Source: 'Create' },
        region: seed.region,
      };
      if (seed.requirements) {
        env.RequirementsS3Path = seed.requirements.key;
        const v = await put(seed.bucket, seed.requirements.key, seed.requirements.text);
        if (v) env.RequirementsS3ObjectVersion = v;
      }
      if (seed.startupScript) {
        env.StartupScriptS3Path = seed.startupScript.key;
        const v = await put(seed.bucket, seed.startupScript.key, seed.startupScript.text);
        if (v) env.StartupScriptS3ObjectVersion = v;
      }
      envs.set(seed.name, env);
      return env;
    },
    environment: (name) => envs.get(name),
    setBehavior(name, behavior) {
      if (behavior) behaviors.set(name, { ...behavior });
      else behaviors.delete(name);
    },
    reset() {
      calls.length = 0;
      behaviors.clear();
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeServer(server);
    },
  };
}
