/**
 * Amazon MWAA's three REST-JSON calls, signed here with the SigV4 signer the bundle already carries
 * (@smithy/signature-v4, the one inside the S3 client) instead of @aws-sdk/client-mwaa: the last published
 * client-mwaa (3.523.0) depends on older @smithy/* majors, and bundling it would add a second SDK runtime
 * (dist/aws.js 710 KB -> 1.24 MB, measured). The calls:
 *   ListEnvironments   GET   /environments?MaxResults=25[&NextToken=...]   -> {"Environments": [...], "NextToken"?}
 *   GetEnvironment     GET   /environments/{Name}                          -> {"Environment": {...}}
 *   UpdateEnvironment  PATCH /environments/{Name}  {JSON}                  -> {"Arn": ...}
 * Endpoint: https://api.airflow.REGION.amazonaws.com (signing name `airflow`), or an override the SDK's way
 * (AWS_ENDPOINT_URL_MWAA, AWS_ENDPOINT_URL, the profile's `services` section, `endpoint_url`); an overridden endpoint
 * is used as given: the API's host prefix (`api.`) is not added to it, as the SDK does with a custom endpoint.
 * Credentials: the profile's memoized ones (clients.ts). Retries: throttling, 5xx and network errors, with backoff.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { isRefresherError, RefresherError } from '../core/errors';
import { mwaaError } from '../core/mwaa/errors';
import type { CallOptions, MwaaEnvironment, MwaaUpdate } from './api';
import { linkSignal, throwIfAborted } from './abort';
import type { AwsClients } from './clients';
import { systemCode } from './errors';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  errorType?: string;
}

const RETRYABLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'InternalServerException', 'ServiceUnavailableException']);
const BAD_CREDENTIALS = new Set(['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException', 'MissingAuthenticationTokenException']);

export class MwaaApi {

  constructor(private readonly clients: AwsClients) {}

  async listEnvironments(region: string, call: CallOptions): Promise<string[]> {
    const names: string[] = [];
    let next: string | undefined;
    do {
      const query = `MaxResults=25${next ? `&NextToken=${uriEscape(next)}` : ''}`;
      const out = await this.send('ListEnvironments', 'GET', '/environments', query, undefined, region, call);
      const page = Array.isArray(out.Environments) ? out.Environments.filter((n): n is string => typeof n === 'string') : [];
      names.push(...page);
      next = typeof out.NextToken === 'string' && out.NextToken ? out.NextToken : undefined;
    } while (next);
    return names;
  }

  async getEnvironment(name: string, region: string, call: CallOptions): Promise<MwaaEnvironment> {
    const out = await this.send('GetEnvironment', 'GET', `/environments/${encodeURIComponent(name)}`, '', undefined, region, call, name);
    return toEnvironment(out.Environment, name, region);
  }

  async updateEnvironment(name: string, region: string, update: MwaaUpdate, call: CallOptions): Promise<void> {
    const body: Record<string, string> = {};
    if (update.requirementsS3Path !== undefined) body.RequirementsS3Path = update.requirementsS3Path;
    if (update.requirementsS3ObjectVersion !== undefined) body.RequirementsS3ObjectVersion = update.requirementsS3ObjectVersion;
    if (update.startupScriptS3Path !== undefined) body.StartupScriptS3Path = update.startupScriptS3Path;
    if (update.startupScriptS3ObjectVersion !== undefined) body.StartupScriptS3ObjectVersion = update.startupScriptS3ObjectVersion;
    await this.send('UpdateEnvironment', 'PATCH', `/environments/${encodeURIComponent(name)}`, '', JSON.stringify(body), region, call, name);
  }

  private async send(op: string, method: string, path: string, query: string, body: string | undefined, region: string, call: CallOptions, name?: string): Promise<Record<string, unknown>> {
    const link = linkSignal(call.signal);
    const signal = link.signal;
    const what = `${op}${name ? ` ${name}` : ''} (${region}, profile "${call.profile}")`;
    const started = Date.now();
    const step = `airflow:${op} profile=${call.profile} region=${region}${name ? ` environment=${name}` : ''}`;
    try {
      throwIfAborted(signal, what);
      const override = (await this.clients.profileSettings(call.profile)).mwaaEndpoint;
      const base = new URL(override ?? `https://api.airflow.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`);
      await this.clients.resolveCredentials(call.profile, signal, { operation: 'credentials', profile: call.profile, region, endpoint: base.origin });
      const basePath = base.pathname.replace(/\/+$/, '');
      for (let attempt = 1; ; attempt++) {
        const credentials = await this.clients.credentialsFor(call.profile);
        const signer = new SignatureV4({ service: 'airflow', region, credentials, sha256: Sha256, uriEscapePath: true, applyChecksum: true });
        const headers: Record<string, string> = { host: base.host, accept: 'application/json' };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const request = new HttpRequest({
          method,
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port ? Number(base.port) : undefined,
          path: `${basePath}${path}`,
          query: Object.fromEntries(new URLSearchParams(query)),
          headers,
          body,
        });
        const signed = (await signer.sign(request)) as HttpRequest;
        let answer: Answer;
        try {
          answer = await this.transmit(base, signed, query, signal);
        } catch (err) {
          const sys = systemCode(err);
          // UpdateEnvironment is not idempotent: after the request may have reached the service (reset, timeout),
          // a second PATCH would be refused while the first runs. Only a refused connection is retried for it.
          const safe = method === 'GET' || sys === 'ECONNREFUSED';
          if (!signal.aborted && attempt < this.clients.maxAttempts && sys && safe) {
            await backoff(attempt, signal);
            continue;
          }
          throw err;
        }
        if (answer.status >= 200 && answer.status < 300) {
          this.clients.log(`${step} status=${answer.status} attempts=${attempt} ${Date.now() - started}ms`);
          return answer.body;
        }
        const type = answer.errorType ?? '';
        // Throttling means the request was not processed (safe for every method); a 5xx may have been, so only reads retry it.
        const throttled = answer.status === 429 || /Throttl|TooManyRequests/.test(type);
        if (attempt < this.clients.maxAttempts && (throttled || (method === 'GET' && (RETRYABLE.has(type) || answer.status >= 500)))) {
          await backoff(attempt, signal);
          continue;
        }
        this.clients.log(`${step} failed status=${answer.status} type=${type || '-'} attempts=${attempt} ${Date.now() - started}ms`);
        throw this.failure(op, answer, call.profile, region, name);
      }
    } catch (err) {
      if (isRefresherError(err)) throw err;
      const sys = systemCode(err);
      this.clients.log(`${step} failed ${sys ?? (err as Error)?.name ?? 'error'} ${Date.now() - started}ms`);
      if (signal.aborted) throw new RefresherError('Cancelled', `Cancelled: ${what}.`);
      if (sys === 'ETIMEDOUT' || (err as Error)?.name === 'TimeoutError') throw new RefresherError('Timeout', `No answer from the MWAA endpoint in time (${what}).`, 'Check the network connection, VPN or proxy, then try again.', { cause: err });
      if (sys) throw new RefresherError('Network', `Cannot reach the MWAA endpoint (${sys}) for ${what}.`, 'Check the network connection, VPN or proxy, and any endpoint_url / AWS_ENDPOINT_URL_MWAA setting, then try again.', { cause: err });
      throw new RefresherError('Unexpected', `${what} failed: ${this.clients.secrets.redact((err as Error)?.message ?? String(err))}`, undefined, { cause: err });
    } finally {
      link.dispose();
    }
  }

  private failure(op: string, a: Answer, profile: string, region: string, name?: string): RefresherError {
    const type = a.errorType ?? '';
    const message = typeof a.body.message === 'string' ? a.body.message : typeof a.body.Message === 'string' ? a.body.Message : '';
    if (BAD_CREDENTIALS.has(type)) {
      this.clients.invalidate(profile);
      return new RefresherError('ExpiredCredentials', `The credentials of profile "${profile}" were rejected (${type}): they are invalid or expired.`, `Renew them (for an SSO profile run \`aws sso login --profile ${profile}\`), then try again.`);
    }
    if (type === 'AccessDeniedException' || a.status === 403) {
      return mwaaError('MwaaAccessDenied', `Profile "${profile}" may not call airflow:${op}${name ? ` on environment "${name}"` : ''} in ${region}.`,
        `Its IAM policy needs airflow:${op}${name ? ` on arn:aws:airflow:${region}:*:environment/${name}` : ''}; use a profile that has it.`);
    }
    if (type === 'ResourceNotFoundException' || a.status === 404) {
      return mwaaError('EnvironmentNotFound', `MWAA environment "${name ?? '?'}" was not found in ${region} (profile "${profile}").`, 'Check the name and the region (codeartifact.mwaa.regions).');
    }
    if (type === 'ThrottlingException' || a.status === 429) return new RefresherError('Throttled', `AWS throttled airflow:${op} in ${region}.`, 'Wait a minute and try again.');
    if (type === 'ValidationException' || type === 'ConflictException' || a.status === 400 || a.status === 409) {
      return mwaaError('UpdateRejected', `MWAA refused ${op}${name ? ` for "${name}"` : ''}: ${this.clients.secrets.redact(message || type)}.`, op === 'UpdateEnvironment' ? 'An environment takes one update at a time: wait until it is AVAILABLE, then try again.' : undefined);
    }
    return new RefresherError('Unexpected', `airflow:${op} failed (${type || 'error'}, HTTP ${a.status})${message ? `: ${this.clients.secrets.redact(message)}` : ''}.`);
  }

  private transmit(base: URL, req: HttpRequest, query: string, signal: AbortSignal): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const lib = base.protocol === 'http:' ? http : https;
      const r = lib.request(
        { protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, method: req.method, path: `${req.path}${query ? `?${query}` : ''}`, headers: req.headers, timeout: this.clients.requestHandler.connectionTimeout, signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.setTimeout(this.clients.requestHandler.requestTimeout, () => res.destroy(Object.assign(new Error('MWAA answer timed out'), { code: 'ETIMEDOUT' })));
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> = {};
            try {
              json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              json = { message: text.slice(0, 200) };
            }
            const header = res.headers['x-amzn-errortype'];
            const raw = (Array.isArray(header) ? header[0] : header) ?? (typeof json.__type === 'string' ? json.__type : undefined) ?? (typeof json.code === 'string' ? json.code : undefined);
            // `Type:http://...` and `namespace#Type` both name the type first or last.
            const errorType = raw?.split(':')[0].split('#').pop();
            resolve({ status: res.statusCode ?? 0, body: json, ...(errorType ? { errorType } : {}) });
          });
        },
      );
      r.on('timeout', () => r.destroy(Object.assign(new Error('MWAA connection timed out'), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      r.end(typeof req.body === 'string' ? req.body : undefined);
    });
  }
}

async function backoff(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
  await new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
  throwIfAborted(signal, 'the MWAA call');
}

/** RFC 3986 escaping, as SigV4 canonicalizes query values (encodeURIComponent leaves !'()* alone). */
function uriEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function toEnvironment(raw: unknown, name: string, region: string): MwaaEnvironment {
  const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const lu = (typeof e.LastUpdate === 'object' && e.LastUpdate !== null ? e.LastUpdate : undefined) as Record<string, unknown> | undefined;
  const err = (lu && typeof lu.Error === 'object' && lu.Error !== null ? lu.Error : undefined) as Record<string, unknown> | undefined;
  const created = typeof lu?.CreatedAt === 'number' ? new Date(lu.CreatedAt * 1000) : typeof lu?.CreatedAt === 'string' ? new Date(lu.CreatedAt) : undefined;
  const out: MwaaEnvironment = { name: str(e.Name) ?? name, region, status: str(e.Status) ?? 'UNKNOWN' };
  const copy: [keyof MwaaEnvironment, string][] = [
    ['arn', 'Arn'], ['airflowVersion', 'AirflowVersion'], ['sourceBucketArn', 'SourceBucketArn'], ['dagS3Path', 'DagS3Path'],
    ['requirementsS3Path', 'RequirementsS3Path'], ['requirementsS3ObjectVersion', 'RequirementsS3ObjectVersion'],
    ['startupScriptS3Path', 'StartupScriptS3Path'], ['startupScriptS3ObjectVersion', 'StartupScriptS3ObjectVersion'], ['executionRoleArn', 'ExecutionRoleArn'],
  ];
  for (const [k, j] of copy) {
    const v = str(e[j]);
    if (v !== undefined) (out as unknown as Record<string, string>)[k] = v;
  }
  if (lu) {
    out.lastUpdate = {
      ...(str(lu.Status) ? { status: str(lu.Status) } : {}),
      ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
      ...(err ? { error: { ...(str(err.ErrorCode) ? { code: str(err.ErrorCode) } : {}), ...(str(err.ErrorMessage) ? { message: str(err.ErrorMessage) } : {}) } } : {}),
    };
  }
  return out;
}
