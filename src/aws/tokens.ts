/**
 * CodeArtifact GetAuthorizationToken. Identical concurrent requests (same profile, region, domain, owner, duration)
 * share one call; each waiter may cancel alone, and the call itself is aborted when the last waiter has gone.
 */
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { RefresherError } from '../core/errors';
import type { CallOptions, IssuedToken, TokenRequest } from './api';
import { raceAbort, throwIfAborted } from './abort';
import type { AwsClients } from './clients';
import { checkDurationSeconds } from './duration';
import type { ErrorContext } from './errors';

interface Flight {
  promise: Promise<IssuedToken>;
  controller: AbortController;
  waiters: number;
}

export class TokenIssuer {
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly clients: AwsClients) {}

  async getToken(request: TokenRequest, options: CallOptions & { durationSeconds: number }): Promise<IssuedToken> {
    const durationSeconds = checkDurationSeconds(options.durationSeconds);
    const what = `the CodeArtifact token for ${request.domain}-${request.domainOwner}`;
    throwIfAborted(options.signal, what);
    const key = [options.profile, request.region, request.domain, request.domainOwner, durationSeconds].join('\n');
    let flight = this.flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = this.fetchToken(request, options.profile, durationSeconds, controller.signal).finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
      promise.catch(() => undefined); // every waiter may have gone; the rejection is theirs to see, not unhandled
      flight = { promise, controller, waiters: 0 };
      this.flights.set(key, flight);
    }
    const shared = flight;
    shared.waiters++;
    const onAbort = () => {
      if (--shared.waiters === 0) shared.controller.abort();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await raceAbort(shared.promise, options.signal, what);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (!options.signal?.aborted) shared.waiters--;
    }
  }

  private async fetchToken(request: TokenRequest, profile: string, durationSeconds: number, signal: AbortSignal): Promise<IssuedToken> {
    const settings = await this.clients.profileSettings(profile);
    const endpoint = settings.codeartifactEndpoint ?? `https://codeartifact.${request.region}.amazonaws.com`;
    const ctx: ErrorContext = { operation: 'getToken', profile, ...request, endpoint };
    const started = Date.now();
    const step = `codeartifact:GetAuthorizationToken profile=${profile} domain=${request.domain} owner=${request.domainOwner} region=${request.region} duration=${durationSeconds}`;
    await this.clients.resolveCredentials(profile, signal, ctx);
    const client = this.clients.codeartifact(profile, request.region, settings);
    try {
      const out = await client.send(
        new GetAuthorizationTokenCommand({ domain: request.domain, domainOwner: request.domainOwner, durationSeconds }),
        { abortSignal: signal },
      );
      if (!out.authorizationToken || !out.expiration) {
        throw new RefresherError('Unexpected', `CodeArtifact answered without a token for ${request.domain}-${request.domainOwner}.`);
      }
      this.clients.secrets.add(out.authorizationToken);
      this.clients.log(`${step} status=${out.$metadata.httpStatusCode ?? '?'} attempts=${out.$metadata.attempts ?? 1} ${Date.now() - started}ms expires=${out.expiration.toISOString()}`);
      return { token: out.authorizationToken, expiration: out.expiration };
    } catch (err) {
      throw this.clients.fail(err, { ...ctx, aborted: signal.aborted }, step, started);
    }
  }
}
