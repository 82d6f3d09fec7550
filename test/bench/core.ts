/**
 * Throughput of the core's text passes on a ~5 MB file: `node out/test/bench/core.js [sizeBytes]`.
 * Also times adversarial inputs (runs of `aws:`, `-`, digits, repeated `.d.codeartifact.`) to show that no pass
 * backtracks catastrophically: their MB/s should be of the same order as the realistic file's.
 */
import { createHash } from 'node:crypto';
import { findEndpoints, redact, replaceTokens } from '../../src/core';

export interface CoreThroughput {
  findMBps: number;
  replaceMBps: number;
  redactMBps: number;
  bytes: number;
  /** Same three passes on adversarial texts of about the same size: name -> MB/s of the slowest pass. */
  adversarial?: Record<string, number>;
}

function syntheticToken(i: number): string {
  const header = Buffer.from(JSON.stringify({ ver: 1, isu: 1700000000, enc: 'A128GCM', exp: 1700043200 + i, alg: 'A128GCMKW' })).toString('base64url');
  const fill = createHash('sha256').update(String(i)).digest('base64url');
  return [header, fill.repeat(2), fill.slice(0, 16), fill.repeat(30), fill.slice(0, 22)].join('.');
}

/** A requirements/pip.conf/.npmrc mix with a CodeArtifact URL on about one line in four. */
export function realisticText(sizeBytes: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < sizeBytes; i++) {
    const host = `team-${i % 7}-11112222${String(3000 + (i % 13)).padStart(4, '0')}.d.codeartifact.us-east-1.amazonaws.com`;
    let line: string;
    switch (i % 8) {
      case 0: line = `--extra-index-url https://aws:${syntheticToken(i % 50)}@${host}/pypi/repo-${i % 5}/simple/  # mirror`; break;
      case 1: line = `//${host}/npm/npm-store/:_authToken=${syntheticToken(i % 50)}`; break;
      case 2: line = `apache-airflow-providers-amazon==9.${i % 10}.0 ; python_version >= "3.10"`; break;
      case 3: line = `--extra-index-url https://aws:SYNTH@pypi.example.com/simple/ # foreign`; break;
      default: line = `package-${i}==1.${i % 100}.${i % 7}  # comment ${i}`;
    }
    const eol = i % 3 === 0 ? '\r\n' : '\n';
    parts.push(line, eol);
    n += line.length + eol.length;
  }
  return parts.join('');
}

export function adversarialTexts(sizeBytes: number): Record<string, string> {
  const fill = (unit: string) => unit.repeat(Math.ceil(sizeBytes / unit.length)).slice(0, sizeBytes);
  return {
    'aws:aws:aws:': fill('aws:'),
    '//aws:aws:': '//' + fill('aws:'),
    'dash run': fill('-'),
    'digits then .d.codeartifact.': fill('-111122223333.d.codeartifact.'),
    '.d.codeartifact. repeated': fill('.d.codeartifact.'),
    'domain run + owner + anchor': fill('a'.repeat(60) + '-111122223333.d.codeartifact.us-east-1.amazonaws.com'),
    'token-char run before @host': '//aws:' + fill('A') + '@d-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/r/',
    'base64url run, many dots': fill('eyJhIjoxfQ.'),
    'long word run (TOKEN=)': fill('A') + 'TOKEN=x',
    'host repeated (many endpoints)': fill('//d-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/r/ '),
  };
}

function seconds(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return best;
}

function passes(text: string): { find: number; replace: number; redact: number } {
  const mb = Buffer.byteLength(text, 'utf8') / (1024 * 1024);
  const tokenFor = (e: { domain: string }) => `fresh-${e.domain}`;
  return {
    find: mb / seconds(() => findEndpoints(text)),
    replace: mb / seconds(() => replaceTokens(text, tokenFor)),
    redact: mb / seconds(() => redact(text)),
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

export function measureCoreThroughput(sizeBytes = 5 * 1024 * 1024, withAdversarial = false): CoreThroughput {
  const text = realisticText(sizeBytes);
  const p = passes(text);
  const result: CoreThroughput = { findMBps: round(p.find), replaceMBps: round(p.replace), redactMBps: round(p.redact), bytes: Buffer.byteLength(text, 'utf8') };
  if (withAdversarial) {
    result.adversarial = {};
    for (const [name, t] of Object.entries(adversarialTexts(sizeBytes))) {
      const a = passes(t);
      result.adversarial[name] = round(Math.min(a.find, a.replace, a.redact));
    }
  }
  return result;
}

if (require.main === module) {
  const size = Number(process.argv[2]) || 5 * 1024 * 1024;
  console.log(JSON.stringify(measureCoreThroughput(size, true), null, 2));
}
