import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';

/** One PEM block as Go's encoding/pem decodes it: its type and its bytes (headers are not part of the body). */
interface PemBlock {
  type: string;
  bytes: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([^\r\n]*?)-----\r?\n([\s\S]*?)-----END \1-----/g;

function pemBlocks(pem: Buffer): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const [, type, body] of pem.toString('latin1').matchAll(PEM_BLOCK)) {
    // Headers (`Proc-Type: …`) end at the first blank line; a body line never holds a colon.
    const lines = body.split(/\r?\n/).filter((line) => line && !line.includes(':'));
    const base64 = lines.join('');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4) continue; // pem.Decode skips a block it cannot decode
    blocks.push({ type, bytes: Buffer.from(base64, 'base64') });
  }
  return blocks;
}

const isKeyType = (type: string) => type === 'PRIVATE KEY' || type.endsWith(' PRIVATE KEY');

/** Go's x509 parsePrivateKey order: PKCS #1, then PKCS #8, then SEC 1 (EC). */
function parsePrivateKey(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // the next form
    }
  }
  return undefined;
}

/**
 * Why Go's tls.X509KeyPair rejects this certificate and key (PEM bytes), as client-go calls it when it builds the
 * transport for a user with client-certificate-data or client-key-data: kubectl then sends nothing at all.
 * Certificates and keys are parsed by OpenSSL here, not by Go's crypto/x509, whose strictness differs at the edges.
 */
export function keyPairProblem(certPem: Buffer, keyPem: Buffer): string | undefined {
  const certBlocks = pemBlocks(certPem);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    if (certBlocks.length === 0) return 'failed to find any PEM data in certificate input';
    if (certBlocks.length === 1 && certBlocks[0].type.endsWith('PRIVATE KEY')) {
      return 'failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    }
    return 'failed to find "CERTIFICATE" PEM block in certificate input';
  }
  const keyBlocks = pemBlocks(keyPem);
  const keyBlock = keyBlocks.find((b) => isKeyType(b.type));
  if (!keyBlock) {
    if (keyBlocks.length === 0) return 'failed to find any PEM data in key input';
    if (keyBlocks.some((b) => b.type === 'CERTIFICATE')) return 'found a certificate rather than a key in the PEM for the private key';
    return 'failed to find PEM block with type ending in "PRIVATE KEY" in key input';
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certs[0].bytes);
  } catch {
    return 'malformed certificate';
  }
  const key = parsePrivateKey(keyBlock.bytes);
  if (!key) return 'failed to parse private key';
  return certificate.checkPrivateKey(key) ? undefined : 'private key does not match public key';
}
