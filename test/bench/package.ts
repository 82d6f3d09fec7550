/** Shipped sizes: the production bundles and the .vsix `vsce package` makes from them (with the file list). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PackageSizes {
  extensionJsBytes: number;
  awsJsBytes: number;
  vsixBytes?: number;
  vsixFiles?: { path: string; bytes: number }[];
  notMeasured?: string;
}

/** The .vsix is a zip: read its central directory instead of depending on an unzip tool. */
export function zipEntries(file: string): { path: string; bytes: number }[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: no zip end-of-central-directory record`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: { path: string; bytes: number }[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry`);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    out.push({ path: buf.toString('utf8', p + 46, p + 46 + nameLen), bytes: size });
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

export function measurePackage(root: string): PackageSizes {
  const size = (f: string) => fs.statSync(path.join(root, f)).size;
  const result: PackageSizes = { extensionJsBytes: size('dist/extension.js'), awsJsBytes: size('dist/aws.js') };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-bench-vsix-'));
  const out = path.join(tmp, 'bench.vsix');
  try {
    // vscode:prepublish rebuilds with --production: the same bundle `npm run bench` built.
    execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    });
    result.vsixBytes = fs.statSync(out).size;
    result.vsixFiles = zipEntries(out);
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    result.notMeasured = `vsce package failed: ${(err.stderr?.toString() || err.message).split('\n').slice(0, 3).join(' ')}`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}
