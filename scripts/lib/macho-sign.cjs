'use strict';
// Ad-hoc code signing of thin 64-bit Mach-O executables, for the darwin release binaries built on Linux.
//
// Injecting the SEA blob (postject) drops the Node binary's signature, and Apple Silicon kills unsigned
// executables, so the release signs them here the way linkers do: a SuperBlob holding one CodeDirectory of
// SHA-256 page hashes, appended to __LINKEDIT and pointed at by LC_CODE_SIGNATURE. An ad-hoc signature has
// no certificate; it only lets the kernel check that pages are unmodified.
//
// The blob layout follows Go's linker, which signs every darwin Go binary this way:
// golang/go src/cmd/internal/codesign/codesign.go (Size, Sign; struct layouts from xnu's cs_blobs.h) and
// src/cmd/link/internal/ld/macho.go (machoCodeSign: reuse LC_CODE_SIGNATURE, grow __LINKEDIT, truncate).
// From LLVM (llvm-objcopy MachOLayoutBuilder, kept in sync with lld's CodeSignatureSection) we take the
// 16-byte alignment of the signature offset and the page-rounded __LINKEDIT vmsize.

const { createHash } = require('node:crypto');

const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGICS = [0xcafebabe, 0xcafebabf]; // universal binaries; stored big-endian
const MH_EXECUTE = 0x2;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

/** Segment alignment per CPU type: __LINKEDIT's vmsize is rounded to it, as linkers do. */
const SEGMENT_ALIGN = new Map([
  [0x01000007, 0x1000], // CPU_TYPE_X86_64
  [0x0100000c, 0x4000], // CPU_TYPE_ARM64
]);

const HEADER_SIZE = 32; // mach_header_64
const SEGMENT_SIZE = 72; // segment_command_64, without its sections
const SECTION_SIZE = 80; // section_64
const CODE_SIGNATURE_CMD_SIZE = 16; // linkedit_data_command

const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
const CS_SUPPORTSEXECSEG = 0x20400; // first CodeDirectory version with the execSeg fields
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000; // cs_blobs.h: "automatically signed by the linker"; Go and lld set it too
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const HASH_SIZE = 32;
const PAGE_SIZE_LOG2 = 12;
const PAGE_SIZE = 1 << PAGE_SIZE_LOG2;
const SIGNATURE_ALIGN = 16;

const SUPERBLOB_HEADER_SIZE = 12; // magic, length, count
const BLOB_INDEX_SIZE = 8; // type, offset
// The CodeDirectory header, field by field as in Go's codesign.go `CodeDirectory` and `codeDirectorySize`
// (13*4 + 4*1 + 4*8 = 88 bytes; all big-endian):
//   0 magic  4 length  8 version  12 flags  16 hashOffset  20 identOffset  24 nSpecialSlots  28 nCodeSlots
//  32 codeLimit  36 hashSize(u8)  37 hashType(u8)  38 platform/pad1(u8)  39 pageSize(u8, log2)  40 spare2/pad2
//  44 scatterOffset  48 teamOffset  52 spare3/pad3  56 codeLimit64(u64)  64 execSegBase(u64)
//  72 execSegLimit(u64)  80 execSegFlags(u64)
const CODE_DIRECTORY_SIZE = 88;

/**
 * @typedef {{ name: string, cmdOffset: number, vmsize: bigint, fileoff: number, filesize: number,
 *             sectionOffsets: number[] }} Segment
 * @typedef {{ cmdOffset: number, dataoff: number, datasize: number }} CodeSignatureCommand
 * @typedef {{ cpuType: number, fileType: number, ncmds: number, sizeofcmds: number, segments: Segment[],
 *             codeSignature: CodeSignatureCommand | undefined }} MachO
 * @typedef {{ identifier: string, pageSize: number, codeLimit: number, nCodeSlots: number, hashType: string }}
 *   SignatureReport
 */

/** @param {string} message @returns {never} */
function fail(message) {
  throw new Error(`macho-sign: ${message}`);
}

/** @param {Buffer} buf @param {number} offset @param {string} what */
function u64(buf, offset, what) {
  const value = buf.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} is too large (${value})`);
  return Number(value);
}

/** @param {number} value @param {number} align */
function alignUp(value, align) {
  return Math.ceil(value / align) * align;
}

/**
 * Reads the header and load commands, checking that they are a well-formed thin 64-bit Mach-O.
 * @param {Buffer} binary
 * @returns {MachO}
 */
function parseMachO(binary) {
  if (binary.length < HEADER_SIZE) fail(`file is ${binary.length} bytes, too short for a Mach-O header`);
  if (FAT_MAGICS.includes(binary.readUInt32BE(0))) {
    fail('this is a universal (fat) binary; sign each architecture slice separately (extract it with lipo -thin)');
  }
  const magic = binary.readUInt32LE(0);
  if (magic !== MH_MAGIC_64) fail(`not a 64-bit little-endian Mach-O file (magic 0x${magic.toString(16)})`);
  const cpuType = binary.readUInt32LE(4);
  if (!SEGMENT_ALIGN.has(cpuType)) fail(`unsupported CPU type 0x${cpuType.toString(16)}; expected x86_64 or arm64`);
  const fileType = binary.readUInt32LE(12);
  const ncmds = binary.readUInt32LE(16);
  const sizeofcmds = binary.readUInt32LE(20);
  const commandsEnd = HEADER_SIZE + sizeofcmds;
  if (commandsEnd > binary.length) fail(`load commands (${sizeofcmds} bytes) run past the end of the file`);

  /** @type {Segment[]} */
  const segments = [];
  /** @type {CodeSignatureCommand | undefined} */
  let codeSignature;
  let offset = HEADER_SIZE;
  for (let i = 0; i < ncmds; i++) {
    if (offset + 8 > commandsEnd) fail(`load command ${i} starts past sizeofcmds (${sizeofcmds})`);
    const cmd = binary.readUInt32LE(offset);
    const cmdsize = binary.readUInt32LE(offset + 4);
    if (cmdsize < 8 || cmdsize % 8 !== 0 || offset + cmdsize > commandsEnd) {
      fail(`load command ${i} (0x${cmd.toString(16)}) has a bad cmdsize ${cmdsize}`);
    }
    if (cmd === LC_SEGMENT_64) {
      const nsects = binary.readUInt32LE(offset + 64);
      if (SEGMENT_SIZE + nsects * SECTION_SIZE !== cmdsize) fail(`segment command ${i} size does not fit its sections`);
      const name = binary.toString('latin1', offset + 8, offset + 24).replace(/\0+$/, '');
      /** @type {number[]} */
      const sectionOffsets = [];
      for (let s = 0; s < nsects; s++) {
        const sectionOffset = binary.readUInt32LE(offset + SEGMENT_SIZE + s * SECTION_SIZE + 48);
        if (sectionOffset !== 0) sectionOffsets.push(sectionOffset); // 0: zero-fill, no file content
      }
      segments.push({
        name,
        cmdOffset: offset,
        vmsize: binary.readBigUInt64LE(offset + 32),
        fileoff: u64(binary, offset + 40, `${name} fileoff`),
        filesize: u64(binary, offset + 48, `${name} filesize`),
        sectionOffsets,
      });
    } else if (cmd === LC_CODE_SIGNATURE) {
      if (cmdsize !== CODE_SIGNATURE_CMD_SIZE) fail(`LC_CODE_SIGNATURE has cmdsize ${cmdsize}, expected 16`);
      if (codeSignature) fail('more than one LC_CODE_SIGNATURE');
      codeSignature = {
        cmdOffset: offset,
        dataoff: binary.readUInt32LE(offset + 8),
        datasize: binary.readUInt32LE(offset + 12),
      };
    }
    offset += cmdsize;
  }
  if (offset !== commandsEnd) fail(`load command sizes add up to ${offset - HEADER_SIZE}, but sizeofcmds is ${sizeofcmds}`);
  return { cpuType, fileType, ncmds, sizeofcmds, segments, codeSignature };
}

/** @param {MachO} macho @param {string} name */
function segment(macho, name) {
  return macho.segments.find((s) => s.name === name) ?? fail(`no ${name} segment`);
}

/**
 * The signature must be the last bytes of the file and of __LINKEDIT, so __LINKEDIT must be the last segment in
 * the file and nothing may follow it: trailing bytes would be neither hashed nor mapped.
 * @param {MachO} macho @param {number} fileSize
 */
function linkeditAtEnd(macho, fileSize) {
  const linkedit = segment(macho, '__LINKEDIT');
  const end = linkedit.fileoff + linkedit.filesize;
  if (end !== fileSize) fail(`__LINKEDIT ends at ${end} but the file is ${fileSize} bytes; content outside __LINKEDIT cannot be signed`);
  const after = macho.segments.find((s) => s !== linkedit && s.filesize > 0 && s.fileoff + s.filesize > linkedit.fileoff);
  if (after) fail(`segment ${after.name} lies after __LINKEDIT in the file`);
  return linkedit;
}

/** @param {number} codeLimit @param {string} identifier */
function signatureSize(codeLimit, identifier) {
  const nCodeSlots = Math.ceil(codeLimit / PAGE_SIZE);
  return SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE + CODE_DIRECTORY_SIZE + Buffer.byteLength(identifier) + 1 + nCodeSlots * HASH_SIZE;
}

/**
 * Writes the SuperBlob for `out[0, codeLimit)` at `out[codeLimit, …)`: the header must already be final,
 * since it is hashed too.
 * @param {Buffer} out @param {number} codeLimit @param {string} identifier @param {MachO} macho
 */
function writeSignature(out, codeLimit, identifier, macho) {
  const text = segment(macho, '__TEXT');
  const size = out.length - codeLimit;
  const nCodeSlots = Math.ceil(codeLimit / PAGE_SIZE);
  const cdOffset = SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE;
  const identOffset = CODE_DIRECTORY_SIZE;
  const hashOffset = identOffset + Buffer.byteLength(identifier) + 1;

  const sig = out.subarray(codeLimit);
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sig.writeUInt32BE(size, 4);
  sig.writeUInt32BE(1, 8);
  sig.writeUInt32BE(CSSLOT_CODEDIRECTORY, 12);
  sig.writeUInt32BE(cdOffset, 16);

  const cd = sig.subarray(cdOffset);
  cd.fill(0, 0, CODE_DIRECTORY_SIZE);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(size - cdOffset, 4);
  cd.writeUInt32BE(CS_SUPPORTSEXECSEG, 8);
  cd.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(identOffset, 20);
  cd.writeUInt32BE(0, 24); // nSpecialSlots: no Info.plist, requirements or entitlements to hash
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(HASH_SIZE, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(PAGE_SIZE_LOG2, 39);
  // codeLimit64 stays 0: it is used only when codeLimit does not fit in 32 bits.
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64);
  cd.writeBigUInt64BE(BigInt(text.filesize), 72);
  cd.writeBigUInt64BE(BigInt(macho.fileType === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  cd.write(`${identifier}\0`, identOffset, 'utf8');
  for (let page = 0; page < nCodeSlots; page++) {
    pageHash(out, page, codeLimit).copy(cd, hashOffset + page * HASH_SIZE);
  }
}

/** @param {Buffer} file @param {number} page @param {number} codeLimit */
function pageHash(file, page, codeLimit) {
  const start = page * PAGE_SIZE;
  return createHash('sha256')
    .update(file.subarray(start, Math.min(start + PAGE_SIZE, codeLimit)))
    .digest();
}

/**
 * Returns a copy of a thin 64-bit Mach-O executable (x86_64 or arm64) carrying a fresh ad-hoc signature.
 * An existing signature (ad-hoc or not) is replaced in place; otherwise an LC_CODE_SIGNATURE is added in the
 * free space after the load commands. Signing is deterministic: re-signing a signed output gives the same bytes.
 * @param {Buffer} binary
 * @param {string} identifier the CodeDirectory identifier, e.g. 'kubectl-cwtoken'
 * @returns {Buffer}
 */
function adhocSign(binary, identifier) {
  if (typeof identifier !== 'string' || identifier === '' || identifier.includes('\0')) {
    fail('the identifier must be a non-empty string without NUL characters');
  }
  const macho = parseMachO(binary);
  const linkedit = linkeditAtEnd(macho, binary.length);

  // Re-signing hashes exactly the bytes before the old signature, so signing twice is idempotent.
  let contentEnd = binary.length;
  if (macho.codeSignature) {
    const { dataoff, datasize } = macho.codeSignature;
    if (dataoff + datasize !== binary.length || dataoff < linkedit.fileoff) {
      fail(`the existing code signature (offset ${dataoff}, ${datasize} bytes) is not at the end of __LINKEDIT`);
    }
    contentEnd = dataoff;
  } else {
    const firstContent = Math.min(...macho.segments.flatMap((s) => (s.fileoff > 0 && s.filesize > 0 ? [s.fileoff, ...s.sectionOffsets] : s.sectionOffsets)));
    const commandsEnd = HEADER_SIZE + macho.sizeofcmds;
    const free = firstContent - commandsEnd;
    if (free < CODE_SIGNATURE_CMD_SIZE) {
      fail(`no room for LC_CODE_SIGNATURE: ${free} bytes free after the load commands, 16 needed (relink with -headerpad)`);
    }
    if (binary.subarray(commandsEnd, commandsEnd + CODE_SIGNATURE_CMD_SIZE).some((byte) => byte !== 0)) {
      fail(`the space after the load commands (offset ${commandsEnd}) is not empty padding`);
    }
  }
  const codeLimit = alignUp(contentEnd, SIGNATURE_ALIGN);
  const size = signatureSize(codeLimit, identifier);
  if (codeLimit + size > 0xffffffff) fail('the file is too large for a 32-bit code signature offset');

  const out = Buffer.alloc(codeLimit + size);
  binary.copy(out, 0, 0, contentEnd);

  const cmdOffset = macho.codeSignature?.cmdOffset ?? HEADER_SIZE + macho.sizeofcmds;
  if (!macho.codeSignature) {
    out.writeUInt32LE(macho.ncmds + 1, 16);
    out.writeUInt32LE(macho.sizeofcmds + CODE_SIGNATURE_CMD_SIZE, 20);
    out.writeUInt32LE(LC_CODE_SIGNATURE, cmdOffset);
    out.writeUInt32LE(CODE_SIGNATURE_CMD_SIZE, cmdOffset + 4);
  }
  out.writeUInt32LE(codeLimit, cmdOffset + 8);
  out.writeUInt32LE(size, cmdOffset + 12);

  const linkeditSize = out.length - linkedit.fileoff;
  const align = /** @type {number} */ (SEGMENT_ALIGN.get(macho.cpuType));
  out.writeBigUInt64LE(BigInt(alignUp(linkeditSize, align)), linkedit.cmdOffset + 32);
  out.writeBigUInt64LE(BigInt(linkeditSize), linkedit.cmdOffset + 48);

  writeSignature(out, codeLimit, identifier, macho);
  return out;
}

/**
 * Parses a signed binary and checks it: load-command layout, __LINKEDIT and LC_CODE_SIGNATURE placement, the
 * CodeDirectory fields this signer writes, and every page hash. Throws on the first mismatch.
 * @param {Buffer} binary
 * @returns {SignatureReport}
 */
function verifyAdhocSignature(binary) {
  const macho = parseMachO(binary);
  const linkedit = linkeditAtEnd(macho, binary.length);
  if (linkedit.vmsize < BigInt(linkedit.filesize)) fail(`__LINKEDIT vmsize ${linkedit.vmsize} is smaller than its filesize`);
  const text = segment(macho, '__TEXT');
  const cs = macho.codeSignature ?? fail('no LC_CODE_SIGNATURE: the binary is not signed');
  if (cs.dataoff % SIGNATURE_ALIGN !== 0) fail(`the signature offset ${cs.dataoff} is not 16-byte aligned`);
  if (cs.dataoff < linkedit.fileoff || cs.dataoff + cs.datasize !== binary.length) {
    fail(`LC_CODE_SIGNATURE (offset ${cs.dataoff}, ${cs.datasize} bytes) does not end __LINKEDIT and the file`);
  }
  const sig = binary.subarray(cs.dataoff);
  if (sig.length < SUPERBLOB_HEADER_SIZE + BLOB_INDEX_SIZE) fail('the signature is too short for a SuperBlob');
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) fail(`bad SuperBlob magic 0x${sig.readUInt32BE(0).toString(16)}`);
  if (sig.readUInt32BE(4) !== cs.datasize) fail(`SuperBlob length ${sig.readUInt32BE(4)} differs from datasize ${cs.datasize}`);
  if (sig.readUInt32BE(8) !== 1 || sig.readUInt32BE(12) !== CSSLOT_CODEDIRECTORY) {
    fail('expected a SuperBlob holding exactly one CodeDirectory (an ad-hoc signature from this signer)');
  }
  const cdOffset = sig.readUInt32BE(16);
  if (cdOffset + CODE_DIRECTORY_SIZE > sig.length) fail('the CodeDirectory runs past the signature');
  const cd = sig.subarray(cdOffset);
  const field = (/** @type {string} */ name, /** @type {bigint | number} */ actual, /** @type {bigint | number} */ expected) => {
    if (actual !== expected) fail(`CodeDirectory ${name} is ${actual}, expected ${expected}`);
  };
  field('magic', cd.readUInt32BE(0), CSMAGIC_CODEDIRECTORY);
  const length = cd.readUInt32BE(4);
  field('length', length, sig.length - cdOffset);
  field('version', cd.readUInt32BE(8), CS_SUPPORTSEXECSEG);
  if ((cd.readUInt32BE(12) & CS_ADHOC) === 0) fail('the CodeDirectory is not flagged ad-hoc');
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  field('nSpecialSlots', cd.readUInt32BE(24), 0);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  field('codeLimit', codeLimit, cs.dataoff);
  field('nCodeSlots', nCodeSlots, Math.ceil(codeLimit / PAGE_SIZE));
  field('hashSize', cd.readUInt8(36), HASH_SIZE);
  field('hashType', cd.readUInt8(37), CS_HASHTYPE_SHA256);
  field('pageSize', cd.readUInt8(39), PAGE_SIZE_LOG2);
  field('execSegBase', cd.readBigUInt64BE(64), BigInt(text.fileoff));
  field('execSegLimit', cd.readBigUInt64BE(72), BigInt(text.filesize));
  field('execSegFlags', cd.readBigUInt64BE(80), BigInt(macho.fileType === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0));
  field('hash slots end', hashOffset + nCodeSlots * HASH_SIZE, length);
  const identEnd = cd.indexOf(0, identOffset);
  if (identOffset < CODE_DIRECTORY_SIZE || identEnd < 0 || identEnd >= hashOffset) fail('the identifier is not a NUL-terminated string before the hashes');
  for (let page = 0; page < nCodeSlots; page++) {
    const slot = cd.subarray(hashOffset + page * HASH_SIZE, hashOffset + (page + 1) * HASH_SIZE);
    if (!slot.equals(pageHash(binary, page, codeLimit))) fail(`page ${page} (file offset ${page * PAGE_SIZE}) does not match its hash`);
  }
  return {
    identifier: cd.toString('utf8', identOffset, identEnd),
    pageSize: PAGE_SIZE,
    codeLimit,
    nCodeSlots,
    hashType: 'sha256',
  };
}

module.exports = { adhocSign, verifyAdhocSignature };
