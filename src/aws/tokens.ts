/**
 * CodeArtifact GetAuthorizationToken. Identical concurrent requests (same profile, region, domain, owner, duration)
 * share one call; each waiter may cancel alone, and the call itself is aborted when the last waiter has gone.
 */
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { RefresherError } from '../core/errors';
import { validateDuration } from '../core/expiry';
import type { CallOptions, IssuedToken, TokenRequest } from './api';
import { cancelled, onAbort, throwIfAborted } from './abort';
import type { AwsClients } from './clients';
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
    const durationSeconds = validateDuration(options.durationSeconds);
    const what = `the CodeArtifact token for ${request.domain}-${request.domainOwner}`;
    throwIfAborted(options.signal, what);
    const key = [options.profile, request.region, request.domain, request.domainOwner, durationSeconds].join('\n');
    let flight = this.flights.get(key);
    // A flight whose last waiter has gone is aborted and already out of the map; never join one that is.
    if (!flight || flight.controller.signal.aborted) {
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
    let waiting = true;
    const leave = () => {
      if (!waiting) return;
      waiting = false;
      if (--shared.waiters === 0 && this.flights.get(key) === shared) {
        // Nobody waits any more: stop the call, and let the next caller start a fresh one.
        this.flights.delete(key);
        shared.controller.abort();
      }
    };
    let unsubscribe = () => undefined as void;
    try {
      return await new Promise<IssuedToken>((resolve, reject) => {
        // One listener on the caller's signal per call (see abort.ts), which also counts this waiter out.
        unsubscribe = onAbort(options.signal, () => {
          leave();
          reject(cancelled(what));
        });
        shared.promise.then(resolve, reject);
      });
    } finally {
      unsubscribe();
      if (waiting) {
        waiting = false;
        shared.waiters--;
      }
    }
  }

  private async fetchToken(request: TokenRequest, profile: string, durationSeconds: number, signal: AbortSignal): Promise<IssuedToken> {
    const settings = await this.clients.profileSettings(profile);
    const endpoint = settings.codeartifactEndpoint ?? `https://codeartifact.${request.region}.amazonaws.com`;
    const ctx: ErrorContext = { operation: 'getToken', profile, ...request, endpoint };
    const started = Date.now();
    const step = `codeartifact:GetAuthorizationToken profile=${profile} domain=${request.domain} owner=${request.domainOwner} region=${request.region} duration=${durationSeconds}`;
    await this.clients.resolveCredentials(profile, signal, ctx);
    const { client, release } = this.clients.codeartifact(profile, request.region, settings);
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
    } finally {
      release();
    }
  }
}
