/** Temporary AWS config/credentials files for unit tests (synthetic keys only). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempAws {
  dir: string;
  env: Record<string, string | undefined>;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
  remove(): void;
}

export function tempAws(extraEnv: Record<string, string | undefined> = {}): TempAws {
  const dir = mkdtempSync(join(tmpdir(), 'aws-unit-'));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  return {
    dir,
    env: { HOME: dir, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, ...extraEnv },
    writeConfig: (text) => writeFileSync(config, text),
    writeCredentials: (text) => writeFileSync(credentials, text),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
