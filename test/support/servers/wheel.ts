/**
 * A minimal valid wheel (PEP 427), written by hand as a stored (uncompressed) zip: one module, METADATA, WHEEL and a
 * RECORD with each file's sha256. Deterministic bytes (fixed timestamps), so its hash is stable within a run.
 */
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';

export interface Wheel {
  /** e.g. ca_probe-1.0-py3-none-any.whl */
  filename: string;
  bytes: Buffer;
  /** Hex sha256 of `bytes` (the index's `#sha256=` fragment). */
  sha256: string;
  /** Files pip puts into the target folder (module files and the .dist-info folder). */
  files: string[];
}

/** A stored zip of `entries` (name -> bytes), in the given order. */
function storedZip(entries: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by: unix
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(0, 12);
    cd.writeUInt16LE(DOS_DATE, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(nameBytes.length, 28);
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file 0644
    cd.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(cd, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

const recordHash = (b: Buffer): string => `sha256=${crypto.createHash('sha256').update(b).digest('base64url')}`;

/** A pure-Python wheel for `name` (e.g. "ca-probe") `version`, whose module records the version it came from. */
export function buildWheel(name: string, version: string): Wheel {
  const module = name.replace(/-/g, '_');
  const distInfo = `${module}-${version}.dist-info`;
  const files: Array<[string, Buffer]> = [
    [`${module}/__init__.py`, Buffer.from(`"""Probe package served by the local CodeArtifact stand-in (tests only)."""\nVERSION = "${version}"\n`)],
    [`${distInfo}/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: Probe package served by the local CodeArtifact stand-in\n`)],
    [`${distInfo}/WHEEL`, Buffer.from('Wheel-Version: 1.0\nGenerator: codeartifact-token-refresher-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n')],
  ];
  const record = files.map(([n, b]) => `${n},${recordHash(b)},${b.length}\n`).join('') + `${distInfo}/RECORD,,\n`;
  const bytes = storedZip([...files, [`${distInfo}/RECORD`, Buffer.from(record)]]);
  return {
    filename: `${module}-${version}-py3-none-any.whl`,
    bytes,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    files: [`${module}/__init__.py`, distInfo],
  };
}
