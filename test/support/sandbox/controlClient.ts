/**
 * Test side of the sandbox control channel (see control.ts). Only node:http: the extension host must not load the
 * AWS SDK on behalf of the tests.
 */
import * as http from 'node:http';
import type { CodeArtifactBehavior, CodeArtifactCall, MwaaBehavior, MwaaCall, MwaaEnvironmentSeed, PypiRequest, PypiStandIn, Sandbox, SsoCall, StubEnvironment } from './index';
import type { RepositoryEndpointCall } from '../servers/codeartifactStub';

export const CONTROL_URL_ENV = 'SANDBOX_CONTROL_URL';

export interface ObjectState {
  body: string; // base64
  etag?: string;
  versionId?: string;
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  metadata: Record<string, string>;
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
}

export interface SandboxInfo {
  bucket: string;
  accountId: string;
  endpoints: Sandbox['endpoints'];
  profiles: Sandbox['profiles'];
  sseKms: boolean;
  /** The PyPI stand-in's CONNECT proxy and CA (see clients/pip.ts `pypiStandInFromControl`). */
  pypi: Pick<PypiStandIn, 'proxyUrl' | 'caFile' | 'probe'>;
}

/** Test side. Uses only node:http so the extension host loads no SDK for the tests. */
export class SandboxControl {
  constructor(private readonly base: string) {}

  static fromEnv(): SandboxControl {
    const url = process.env[CONTROL_URL_ENV];
    if (!url) throw new Error(`${CONTROL_URL_ENV} is not set: run the integration tests with \`npm run test:integration\`, which starts the sandbox`);
    return new SandboxControl(url);
  }

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = http.request(`${this.base}${path}`, { method, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`sandbox control ${method} ${path}: ${res.statusCode} ${text}`));
          resolve(JSON.parse(text) as T);
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  info = () => this.request<SandboxInfo>('GET', '/info');
  calls = () => this.request<CodeArtifactCall[]>('GET', '/codeartifact/calls');
  issuedTokens = () => this.request<string[]>('GET', '/codeartifact/issued');
  setBehavior = (domain: string, behavior: CodeArtifactBehavior | undefined) => this.request<null>('POST', '/codeartifact/behavior', { domain, behavior: behavior ?? null });
  resetStub = () => this.request<null>('POST', '/codeartifact/reset');
  s3proxy = () => this.request<{ requests: number; conditionalPuts: number; preconditionFailures: number }>('GET', '/s3proxy');
  reseed = () => this.request<null>('POST', '/reseed');
  endpointCalls = () => this.request<RepositoryEndpointCall[]>('GET', '/codeartifact/endpoint-calls');
  /** What the PyPI stand-in saw (host, path, status, auth result, issued token index; never a token). */
  pypiRequests = () => this.request<PypiRequest[]>('GET', '/pypi/requests');
  /** The SSO portal accepts (or, with revoke, forgets) this access token, as after `aws sso login`. */
  ssoSession = (accessToken: string, revoke = false) => this.request<null>('POST', '/sso/session', { accessToken, revoke });
  ssoCalls = () => this.request<SsoCall[]>('GET', '/sso/calls');
  /** Lifetime of the role credentials the SSO portal hands out (under 300 s: resolved again on every AWS call). */
  ssoLifetime = (seconds: number) => this.request<null>('POST', '/sso/lifetime', { seconds });
  mwaaSeed = (seed: MwaaEnvironmentSeed, codeartifactTxt?: 'expired' | 'valid') => this.request<StubEnvironment>('POST', '/mwaa/seed', { seed, codeartifactTxt });
  mwaaCalls = () => this.request<MwaaCall[]>('GET', '/mwaa/calls');
  mwaaEnvironment = (name: string) => this.request<StubEnvironment | null>('GET', `/mwaa/environment?name=${encodeURIComponent(name)}`);
  mwaaBehavior = (name: string, behavior: MwaaBehavior | undefined) => this.request<null>('POST', '/mwaa/behavior', { name, behavior: behavior ?? null });
  versionedText = (bucket: string, key: string, versionId?: string) =>
    this.request<{ text: string; versionId?: string }>('GET', `/s3/versioned-object?bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(key)}${versionId ? `&versionId=${encodeURIComponent(versionId)}` : ''}`);

  async getObject(bucket: string, key: string): Promise<ObjectState & { text: string }> {
    const o = await this.request<ObjectState>('GET', `/s3/object?bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(key)}`);
    return { ...o, text: Buffer.from(o.body, 'base64').toString('utf8') };
  }

  putObject(bucket: string, key: string, text: string): Promise<{ etag: string; versionId?: string }> {
    return this.request('PUT', '/s3/object', { bucket, key, body: Buffer.from(text, 'utf8').toString('base64') });
  }
}
