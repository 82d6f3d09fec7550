/**
 * STS stub (AWS query protocol, version 2011-06-15): AssumeRole and GetCallerIdentity, SigV4-verified against the
 * shared KeyRegistry. AssumeRole mints temporary keys (with a session token) and registers them, so the CodeArtifact
 * stub and the S3 proxy accept them. Roles may require MFA: a missing or wrong TokenCode is answered 403 AccessDenied.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { KeyRegistry, SigFailure, verifySigV4 } from './keys';
import { closeServer, listenLoopback, readBody } from './net';

export interface StsRole {
  /** When set, AssumeRole needs SerialNumber = this and TokenCode = `mfaCode`. */
  mfaSerial?: string;
  mfaCode?: string;
}

export interface StsCall {
  action?: string;
  accessKeyId?: string;
  roleArn?: string;
  roleSessionName?: string;
  serialNumber?: string;
  /** Whether a TokenCode was given (the code itself is not recorded). */
  mfaCodeGiven: boolean;
  durationSeconds?: number;
  ok: boolean;
  status: number;
  errorCode?: string;
  /** Access key minted by a successful AssumeRole. */
  issuedAccessKeyId?: string;
}

export interface StsStub {
  endpoint: string;
  readonly calls: StsCall[];
  /** Declares a role; unknown role ARNs in a known account are allowed without MFA. */
  setRole(roleArn: string, role: StsRole): void;
  /** Expires a temporary key now: later calls signed with it get ExpiredToken(Exception). */
  expireSession(accessKeyId: string): void;
  reset(): void;
  stop(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const SIG_ERRORS: Record<SigFailure, [number, string, string]> = {
  MissingAuthentication: [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'],
  UnknownKey: [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
  BadSignature: [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'],
  BadSessionToken: [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
  ExpiredToken: [403, 'ExpiredToken', 'The security token included in the request is expired'],
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startStsStub(opts: { registry: KeyRegistry; port?: number }): Promise<StsStub> {
  const calls: StsCall[] = [];
  const roles = new Map<string, StsRole>();

  function xml(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': crypto.randomUUID() }).end(text);
  }
  function error(res: http.ServerResponse, call: StsCall, status: number, code: string, message: string): void {
    call.status = status;
    call.errorCode = code;
    xml(res, status, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sts');
    const form = new URLSearchParams(req.method === 'POST' ? body.toString('utf8') : url.search);
    const call: StsCall = {
      action: form.get('Action') ?? undefined,
      roleArn: form.get('RoleArn') ?? undefined,
      roleSessionName: form.get('RoleSessionName') ?? undefined,
      serialNumber: form.get('SerialNumber') ?? undefined,
      mfaCodeGiven: !!form.get('TokenCode'),
      durationSeconds: form.get('DurationSeconds') ? Number(form.get('DurationSeconds')) : undefined,
      ok: false,
      status: 0,
    };
    calls.push(call);
    const sig = await verifySigV4(opts.registry, req, body);
    call.accessKeyId = sig.accessKeyId;
    if (!sig.ok || !sig.key) {
      const [status, code, message] = SIG_ERRORS[sig.failure ?? 'BadSignature'];
      return error(res, call, status, code, message);
    }
    const caller = sig.key;
    if (call.action === 'GetCallerIdentity') {
      const account = caller.arn.split(':')[4];
      call.ok = true;
      call.status = 200;
      return xml(res, 200, `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${esc(caller.arn)}</Arn><UserId>${esc(caller.accessKeyId)}</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    }
    if (call.action !== 'AssumeRole') return error(res, call, 400, 'InvalidAction', `Could not find operation ${call.action ?? ''} for version 2011-06-15`);
    const roleArn = call.roleArn ?? '';
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    if (!m) return error(res, call, 400, 'ValidationError', `${roleArn} is invalid`);
    const sessionName = call.roleSessionName ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) return error(res, call, 400, 'ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`);
    const role = roles.get(roleArn) ?? {};
    const denied = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    if (role.mfaSerial !== undefined && (call.serialNumber !== role.mfaSerial || form.get('TokenCode') !== role.mfaCode)) {
      return error(res, call, 403, 'AccessDenied', denied);
    }
    const duration = call.durationSeconds ?? 3600;
    if (duration < 900 || duration > 43200) return error(res, call, 400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const accessKeyId = 'ASIA' + crypto.randomBytes(8).toString('hex').toUpperCase();
    const secretAccessKey = crypto.randomBytes(30).toString('base64');
    const sessionToken = 'FwoGZXIvYXdzE' + crypto.randomBytes(180).toString('base64');
    const expiresAt = Date.now() + duration * 1000;
    const assumedArn = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${sessionName}`;
    opts.registry.add({ accessKeyId, secretAccessKey, sessionToken, expiresAt, arn: assumedArn, backingAccessKeyId: caller.backingAccessKeyId ?? caller.accessKeyId });
    call.ok = true;
    call.status = 200;
    call.issuedAccessKeyId = accessKeyId;
    const roleId = 'AROA' + crypto.createHash('sha1').update(roleArn).digest('hex').slice(0, 17).toUpperCase();
    return xml(
      res,
      200,
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><SourceIdentity></SourceIdentity><AssumedRoleUser><AssumedRoleId>${roleId}:${esc(sessionName)}</AssumedRoleId><Arn>${esc(assumedArn)}</Arn></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${secretAccessKey}</SecretAccessKey><SessionToken>${sessionToken}</SessionToken><Expiration>${new Date(expiresAt).toISOString()}</Expiration></Credentials>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(`sts stub error: ${(e as Error).message}`);
    });
  });
  const endpoint = await listenLoopback(server, opts.port ?? 0);
  return {
    endpoint,
    calls,
    setRole: (arn, role) => void roles.set(arn, { ...role }),
    expireSession: (akid) => opts.registry.expire(akid),
    reset() {
      calls.length = 0;
    },
    stop: () => closeServer(server),
  };
}
