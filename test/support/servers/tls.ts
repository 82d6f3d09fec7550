/**
 * Throwaway TLS material for the HTTPS stand-ins: a CA and one server certificate signed by it, made with Debian's
 * openssl CLI (node:crypto cannot issue X.509 certificates). EC P-256 keys, so it takes ~50 ms. The CA is what a
 * client is told to trust (pip's PIP_CERT / --cert); nothing is added to the system's trust store.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TlsMaterial {
  /** PEM file of the CA (give it to the client). */
  caFile: string;
  ca: string;
  cert: string;
  key: string;
}

const CA_EXT = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash'];

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed (Debian package "openssl"; node test/support/setup.js installs it): ${err.stderr?.toString() || err.message}`);
  }
}

/** Writes ca.pem, ca.key, server.pem, server.key into `dir` for the given DNS names (wildcards allowed). */
export function makeTlsMaterial(dir: string, dnsNames: string[]): TlsMaterial {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string): string => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=codeartifact-token-refresher test CA', ...CA_EXT.flatMap((x) => ['-addext', x])], dir);
  openssl(['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${dnsNames[0]}`], dir);
  fs.writeFileSync(p('server.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'authorityKeyIdentifier=keyid',
    'subjectKeyIdentifier=hash',
    `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}`,
    '',
  ].join('\n'));
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
  return { caFile: p('ca.pem'), ca: fs.readFileSync(p('ca.pem'), 'utf8'), cert: fs.readFileSync(p('server.pem'), 'utf8'), key: fs.readFileSync(p('server.key'), 'utf8') };
}
