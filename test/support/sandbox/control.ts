/**
 * A loopback control channel between the integration tests (inside the editor's extension host) and the sandbox
 * (in the runner's process): the tests set stub behaviours, read who signed which token call, read and change S3
 * objects as an administrator, and get the issued tokens to scan for leaks. The tests never load the AWS SDK
 * themselves, so the activation checks stay meaningful.
 *
 * Server: `startControlServer(sandbox)` in the runner; it passes `SANDBOX_CONTROL_URL` to the editor's environment.
 * Client: `SandboxControl.fromEnv()` in the tests (controlClient.ts, which loads no SDK).
 */
import * as http from 'node:http';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CodeArtifactBehavior, MwaaBehavior, MwaaEnvironmentSeed, Sandbox } from './index';
import { syntheticToken } from '../servers/codeartifactStub';
import { indexUrl, SANDBOX_ACCOUNT_ID } from './seed';
import type { ObjectState, SandboxInfo } from './controlClient';
import { putSeedObject } from './index';
import { seedObjects } from './seed';

type Handler = (body: Record<string, unknown>, url: URL) => Promise<unknown>;

export async function startControlServer(sandbox: Sandbox): Promise<{ url: string; stop(): Promise<void> }> {
  const routes: Record<string, Handler> = {
    'GET /info': async () => ({
      bucket: sandbox.bucket,
      accountId: sandbox.accountId,
      endpoints: sandbox.endpoints,
      profiles: sandbox.profiles,
      sseKms: sandbox.sseKms,
      pypi: { proxyUrl: sandbox.pypi.proxyUrl, caFile: sandbox.pypi.caFile, probe: sandbox.pypi.probe },
    } satisfies SandboxInfo),
    'GET /codeartifact/calls': async () => sandbox.codeartifact.calls,
    'GET /codeartifact/issued': async () => sandbox.codeartifact.issuedTokens,
    'GET /codeartifact/endpoint-calls': async () => sandbox.codeartifact.endpointCalls,
    'GET /pypi/requests': async () => sandbox.pypi.requests(),
    'POST /codeartifact/behavior': async (b) => sandbox.codeartifact.setBehavior(String(b.domain), (b.behavior ?? undefined) as CodeArtifactBehavior | undefined),
    'POST /codeartifact/reset': async () => sandbox.codeartifact.reset(),
    'GET /s3proxy': async () => ({ requests: sandbox.s3proxy.requests, conditionalPuts: sandbox.s3proxy.conditionalPuts, preconditionFailures: sandbox.s3proxy.preconditionFailures }),
    'GET /s3/object': async (_b, url) => {
      const r = await sandbox.admin.send(new GetObjectCommand({ Bucket: url.searchParams.get('bucket')!, Key: url.searchParams.get('key')! }));
      const bytes = Buffer.from(await r.Body!.transformToByteArray());
      return {
        body: bytes.toString('base64'),
        etag: r.ETag,
        versionId: r.VersionId,
        contentType: r.ContentType,
        cacheControl: r.CacheControl,
        contentDisposition: r.ContentDisposition,
        metadata: r.Metadata ?? {},
        serverSideEncryption: r.ServerSideEncryption,
        sseKmsKeyId: r.SSEKMSKeyId,
      } satisfies ObjectState;
    },
    'PUT /s3/object': async (b) => {
      const r = await sandbox.admin.send(new PutObjectCommand({ Bucket: String(b.bucket), Key: String(b.key), Body: Buffer.from(String(b.body), 'base64'), ContentType: (b.contentType as string) ?? 'text/plain' }));
      return { etag: r.ETag, versionId: r.VersionId };
    },
    /**
     * MWAA: seeds an environment. `codeartifactTxt: 'expired' | 'valid'` adds dags/codeartifact.txt with a synthetic
     * token of that kind (made here, so the tests in the editor never load the SDK or the stub's modules).
     */
    'POST /mwaa/seed': async (b) => {
      const seedIn = b.seed as MwaaEnvironmentSeed;
      const now = Math.floor(Date.now() / 1000);
      const objects = [...(seedIn.objects ?? [])];
      if (b.codeartifactTxt === 'expired' || b.codeartifactTxt === 'valid') {
        const exp = b.codeartifactTxt === 'expired' ? now - 3600 : now + 6 * 3600;
        objects.push({ key: 'dags/codeartifact.txt', text: `--extra-index-url ${indexUrl(syntheticToken(exp - 43200, exp))}\n` });
      }
      return sandbox.mwaa.seedEnvironment({ ...seedIn, objects });
    },
    'GET /mwaa/calls': async () => sandbox.mwaa.calls,
    'GET /mwaa/environment': async (_b, url) => sandbox.mwaa.environment(url.searchParams.get('name')!) ?? null,
    'POST /sso/session': async (b) => (b.revoke ? sandbox.sso.revoke(String(b.accessToken)) : sandbox.sso.addSession(String(b.accessToken), SANDBOX_ACCOUNT_ID)),
    'GET /sso/calls': async () => sandbox.sso.calls,
    'POST /sso/lifetime': async (b) => void (sandbox.sso.lifetimeSeconds = Number(b.seconds)),
    'POST /mwaa/behavior': async (b) => sandbox.mwaa.setBehavior(String(b.name), (b.behavior ?? undefined) as MwaaBehavior | undefined),
    'GET /s3/versioned-object': async (_b, url) => {
      const r = await sandbox.admin.send(new GetObjectCommand({ Bucket: url.searchParams.get('bucket')!, Key: url.searchParams.get('key')!, VersionId: url.searchParams.get('versionId') ?? undefined }));
      return { text: await r.Body!.transformToString(), versionId: r.VersionId };
    },
    /** Puts every seeded object back as it was at start (tests that write call this first). */
    'POST /reseed': async () => {
      for (const o of seedObjects(sandbox.seedTokens)) await putSeedObject(sandbox.admin, o, sandbox.sseKms);
    },
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const route = routes[`${req.method} ${url.pathname}`];
    try {
      if (!route) throw Object.assign(new Error(`no route ${req.method} ${url.pathname}`), { status: 404 });
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const result = await route(body, url);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null));
    } catch (e) {
      res.writeHead((e as { status?: number }).status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).name, message: (e as Error).message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
