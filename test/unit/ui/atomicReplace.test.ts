/** Atomic replace on a real file system: mode, symlinks, a concurrent writer, leftovers, encodings, errors. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isRefresherError } from '../../../src/core/errors';
import { readTextFile, replaceTextFile } from '../../../src/ui/files/atomicReplace';

describe('atomic replace of a file on disk', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-atomic-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const leftovers = () => fs.readdirSync(dir).filter((f) => f.includes('.codeartifact-'));

  it('keeps a 0600 file 0600, replaces its bytes exactly, leaves no temp file', async () => {
    const file = path.join(dir, '.netrc');
    fs.writeFileSync(file, 'machine a login aws password OLD\r\n', { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    const inode = fs.statSync(file).ino;
    const s = await readTextFile(file);
    await replaceTextFile(s, 'machine a login aws password NEW\r\n', '~/.netrc');
    assert.equal(fs.readFileSync(file, 'utf8'), 'machine a login aws password NEW\r\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.notEqual(fs.statSync(file).ino, inode, 'replaced by rename (a new inode), not rewritten in place');
    assert.deepEqual(leftovers(), []);
  });

  it('follows a symlink: the link stays a link, the file it points to is updated', async () => {
    fs.mkdirSync(path.join(dir, 'dotfiles'));
    const real = path.join(dir, 'dotfiles', 'pip.conf');
    const link = path.join(dir, 'pip.conf');
    fs.writeFileSync(real, '[global]\nindex-url = OLD\n', { mode: 0o640 });
    fs.symlinkSync(real, link);
    const s = await readTextFile(link);
    assert.equal(s.realPath, real);
    await replaceTextFile(s, '[global]\nindex-url = NEW\n', 'pip.conf');
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'still a symlink');
    assert.equal(fs.readlinkSync(link), real);
    assert.equal(fs.readFileSync(real, 'utf8'), '[global]\nindex-url = NEW\n');
    assert.equal(fs.statSync(real).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'dotfiles')).filter((f) => f.includes('.codeartifact-')), []);
  });

  it('a concurrent writer wins: ChangedSinceRead, their bytes stay, no temp file left', async () => {
    const file = path.join(dir, 'requirements.txt');
    fs.writeFileSync(file, 'OLD\n');
    const s = await readTextFile(file);
    fs.writeFileSync(file, 'OLD\nnumpy==2.0\n'); // someone else, between read and write
    await assert.rejects(replaceTextFile(s, 'NEW\n', 'requirements.txt'), (e: unknown) => isRefresherError(e) && e.code === 'ChangedSinceRead' && /requirements\.txt changed after it was read/.test(e.message));
    assert.equal(fs.readFileSync(file, 'utf8'), 'OLD\nnumpy==2.0\n');
    assert.deepEqual(leftovers(), []);
  });

  it('keeps a BOM and CRLF endings; refuses non-UTF-8; names a missing file', async () => {
    const file = path.join(dir, 'r.txt');
    fs.writeFileSync(file, Buffer.from('\uFEFFa\r\nb', 'utf8'));
    const s = await readTextFile(file);
    assert.equal(s.text, '\uFEFFa\r\nb');
    await replaceTextFile(s, '\uFEFFA\r\nb', 'r.txt');
    assert.deepEqual([...fs.readFileSync(file).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    fs.writeFileSync(path.join(dir, 'bin'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
    await assert.rejects(readTextFile(path.join(dir, 'bin')), (e: unknown) => isRefresherError(e) && e.code === 'NotText');
    await assert.rejects(readTextFile(path.join(dir, 'missing')), (e: unknown) => isRefresherError(e) && e.code === 'NoSuchKey' && /aws codeartifact login/.test(e.fix ?? ''));
  });

  it('a file removed after it was read is not recreated', async () => {
    const file = path.join(dir, '.pypirc');
    fs.writeFileSync(file, 'x\n');
    const s = await readTextFile(file);
    fs.rmSync(file);
    await assert.rejects(replaceTextFile(s, 'y\n', '~/.pypirc'), (e: unknown) => isRefresherError(e));
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(leftovers(), []);
  });
});
