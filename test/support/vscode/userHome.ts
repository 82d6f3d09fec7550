/**
 * The user-level files a developer has after `aws codeartifact login --tool pip|twine|npm` (plus a ~/.netrc and a uv
 * config), written into the editor's scratch HOME before it starts, each holding a synthetic token that expired 30
 * minutes ago: the extension must find them at start-up without any AWS call and show them as expired. The bytes
 * follow what Debian's AWS CLI 2.9 writes (trailing space after `index-servers =`, a tab before `codeartifact`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syntheticToken } from '../servers/codeartifactStub';

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';

export interface SeededFile {
  /** Relative to HOME. */
  rel: string;
  mode?: number;
}

export const SEEDED_USER_FILES: readonly SeededFile[] = [
  { rel: '.config/pip/pip.conf' },
  { rel: '.pypirc' },
  { rel: '.npmrc' },
  { rel: '.netrc', mode: 0o600 },
  { rel: '.config/uv/uv.toml' },
];

function contents(rel: string, token: string): string {
  switch (rel) {
    case '.config/pip/pip.conf':
      return `[global]\nindex-url = https://aws:${token}@${HOST}/pypi/my-repo/simple/\n`;
    case '.pypirc':
      return `[distutils]\nindex-servers = \n\tcodeartifact\n\n[codeartifact]\nrepository = https://${HOST}/pypi/my-repo/\nusername = aws\npassword = ${token}\n\n`;
    case '.npmrc':
      return `registry=https://${HOST}/npm/my-repo/\n//${HOST}/npm/my-repo/:_authToken=${token}\n//${HOST}/npm/my-repo/:always-auth=true\n`;
    case '.netrc':
      return `# written by hand\nmachine ${HOST}\n  login aws\n  password ${token}\n`;
    case '.config/uv/uv.toml':
      return `[[index]]\nname = "codeartifact"\nurl = "https://aws:${token}@${HOST}/pypi/my-repo/simple/"\n`;
    default:
      throw new Error(`no seed for ${rel}`);
  }
}

/** Writes every seeded file under `home` (created with its mode); returns their absolute paths. */
export function seedUserHome(home: string): string[] {
  const now = Math.floor(Date.now() / 1000);
  return SEEDED_USER_FILES.map((f) => {
    const file = path.join(home, f.rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents(f.rel, syntheticToken(now - 12 * 3600, now - 30 * 60)), { mode: f.mode ?? 0o644 });
    if (f.mode) fs.chmodSync(file, f.mode);
    return file;
  });
}
