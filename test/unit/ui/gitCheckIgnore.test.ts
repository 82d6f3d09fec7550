/** `git check-ignore` run directly, against a real repository: ignored, untracked, tracked-but-matching, errors. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitIgnores } from '../../../src/ui/files/gitCheckIgnore';

describe('gitIgnores (git check-ignore)', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });

  before(function () {
    process.env.LC_ALL = 'C'; // git's messages in English, as the assertions expect
    try {
      execFileSync('git', ['--version']);
    } catch {
      throw new Error('git is not installed: apt-get install git');
    }
  });
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-gitignore-'));
    git('init', '-q');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'secret.txt\npip.conf\n');
    for (const f of ['secret.txt', 'requirements.txt', 'pip.conf']) fs.writeFileSync(path.join(repo, f), 'x\n');
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('an ignored file is ignored; an untracked file git would add is not', async () => {
    assert.equal(await gitIgnores('git', repo, path.join(repo, 'secret.txt')), true);
    assert.equal(await gitIgnores('git', repo, path.join(repo, 'requirements.txt')), false);
  });

  it('a tracked file is never ignored, even when .gitignore matches it (git commits its changes)', async () => {
    git('add', '-f', 'pip.conf');
    assert.equal(await gitIgnores('git', repo, path.join(repo, 'pip.conf')), false);
  });

  it('answers the same for 200 concurrent questions (each read from the exit status of a closed process)', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => gitIgnores('git', repo, path.join(repo, 'secret.txt'))));
    assert.deepEqual(new Set(answers), new Set([true]));
  });

  it('a path outside the repository, a missing git and a non-repository fail with a message, never "not ignored"', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-outside-'));
    try {
      await assert.rejects(gitIgnores('git', repo, path.join(outside, 'x.txt')), /git check-ignore failed \(exit 128\): fatal: .*outside repository/);
      await assert.rejects(gitIgnores('git', outside, path.join(outside, 'x.txt')), /git check-ignore failed \(exit 128\): fatal: not a git repository/);
      await assert.rejects(gitIgnores(path.join(outside, 'no-such-git'), repo, path.join(repo, 'secret.txt')), /git check-ignore failed: .*ENOENT/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
