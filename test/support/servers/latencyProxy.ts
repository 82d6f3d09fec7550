/** An HTTP proxy that waits `latencyMs` before forwarding each request and again before relaying the response, and counts requests. */
import * as http from 'node:http';
import { closeServer, listenLoopback } from './net';

export interface LatencyProxy {
  endpoint: string;
  readonly requests: number;
  latencyMs: number;
  stop(): Promise<void>;
}

export async function startLatencyProxy(opts: { target: string; latencyMs: number; port?: number }): Promise<LatencyProxy> {
  const target = new URL(opts.target);
  const state = { requests: 0, latencyMs: opts.latencyMs };
  const delay = (): Promise<void> => new Promise((r) => setTimeout(r, state.latencyMs / 2));
  const server = http.createServer((req, res) => {
    state.requests++;
    void (async () => {
      await delay();
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        void delay().then(() => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
      });
      up.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502).end(`latency proxy: ${e.message}`);
        else res.destroy();
      });
      req.pipe(up);
    })();
  });
  const endpoint = await listenLoopback(server, opts.port ?? 0);
  return {
    endpoint,
    get requests() {
      return state.requests;
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    stop: () => closeServer(server),
  };
}
