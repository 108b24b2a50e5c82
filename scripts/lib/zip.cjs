// A minimal ZIP writer (deflate, no ZIP64) for the windows archive, so a release needs no `zip` program.
// Format: PKWARE APPNOTE 6.3 sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.16 (end record).
const { crc32, deflateRawSync } = require('node:zlib');
const { writeFileSync } = require('node:fs');

const VERSION_NEEDED = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED; // upper byte 3 = UNIX: the external attributes carry the mode
const DEFLATE = 8;
const UTF8_NAMES = 1 << 11;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1; // the earliest DOS date; fixed for reproducible archives
const MAX_32 = 0xffffffff;

/**
 * @typedef {object} ZipEntry
 * @property {string} name  path inside the archive, `/`-separated
 * @property {Buffer} data
 * @property {number} mode  unix permission bits, e.g. 0o755
 */

/** @param {string} file @param {ZipEntry[]} entries */
function writeZip(file, entries) {
  /** @type {Buffer[]} */
  const locals = [];
  /** @type {Buffer[]} */
  const centrals = [];
  let offset = 0;
  for (const { name, data, mode } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data);
    if (data.length > MAX_32 || offset + compressed.length > MAX_32) throw new Error(`${name}: archives over 4 GiB need ZIP64, which this writer does not do`);
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(0, 10); // time 00:00:00
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38); // S_IFREG | mode, in the high 16 bits
    central.writeUInt32LE(offset, 42);

    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, ...centrals, end]));
}

module.exports = { writeZip };
