import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys: a text ending in a newline,
 * a blank line, then signature lines `— <key name> base64(key ID ‖ signature)`. Keys are written
 * as golang.org/x/mod/sumdb/note writes them: the verifier key `<name>+<hex key ID>+base64(0x01 ‖
 * public key)` (the C2SP vkey) and the signer key `PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 ‖
 * 32-byte seed)`.
 */

/** Signature type byte of Ed25519 in signed notes. */
const ED25519 = 0x01;
/** PKCS#8 DER prefix of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI DER prefix of an Ed25519 public key, before its 32 bytes (RFC 8410). */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_PREFIX = '— ';
/** Names are non-empty, without Unicode spaces or `+`. */
const KEY_NAME = /^[^\s+]+$/u;

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: KeyObject;
}

/** SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian (signed-note, Ed25519). */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest()
    .readUInt32BE(0);
}

function checkName(name: string): void {
  if (!KEY_NAME.test(name)) throw new RangeError(`Not a key name: ${JSON.stringify(name)}`);
}

const hexId = (id: number): string => id.toString(16).padStart(8, '0');

/** The signer of `name` from a 32-byte Ed25519 seed. */
export function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  checkName(name);
  if (seed.length !== 32) throw new RangeError('An Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(SPKI_ED25519_PREFIX.length);
  return { name, keyId: noteKeyId(name, publicKey), publicKey, privateKey };
}

/** `PRIVATE+KEY+<name>+<hex id>+base64(0x01 ‖ seed)`: refused unless well-formed and its id matches. */
export function parseSignerKey(text: string): NoteSigner {
  const parts = text.trim().split('+');
  // The base64 may itself hold `+`: everything after the fourth `+` is the key.
  const [privateWord, keyWord, name, id] = parts;
  const key = parts.slice(4).join('+');
  if (privateWord !== 'PRIVATE' || keyWord !== 'KEY' || name === undefined || id === undefined)
    throw new RangeError('A signer key reads PRIVATE+KEY+<name>+<key id>+<base64 key>');
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519 || bytes.toString('base64') !== key)
    throw new RangeError('The signer key is not an Ed25519 key (base64 of 0x01 and 32 bytes)');
  const signer = signerFromSeed(name, bytes.subarray(1));
  if (!/^[0-9a-f]{8}$/.test(id) || hexId(signer.keyId) !== id)
    throw new RangeError('The signer key id does not match its name and key');
  return signer;
}

/** The signer key string of a signer's seed (for a key file). */
export function signerKeyString(name: string, seed: Uint8Array): string {
  const signer = signerFromSeed(name, seed);
  const material = Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64');
  return `PRIVATE+KEY+${name}+${hexId(signer.keyId)}+${material}`;
}

/** The C2SP vkey `<name>+<hex key id>+base64(0x01 ‖ public key)`, what verifiers configure. */
export function verifierKeyString(
  signer: Pick<NoteSigner, 'name' | 'keyId' | 'publicKey'>,
): string {
  const material = Buffer.concat([Buffer.from([ED25519]), signer.publicKey]).toString('base64');
  return `${signer.name}+${hexId(signer.keyId)}+${material}`;
}

/** A verifier from its vkey string; refused unless well-formed and its id matches. */
export function parseVerifierKey(text: string): NoteVerifier {
  const parts = text.trim().split('+');
  const [name, id] = parts;
  const key = parts.slice(2).join('+');
  if (name === undefined || id === undefined || !KEY_NAME.test(name) || !/^[0-9a-f]{8}$/.test(id))
    throw new RangeError('A verifier key reads <name>+<key id>+<base64 key>');
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519 || bytes.toString('base64') !== key)
    throw new RangeError('The verifier key is not an Ed25519 key (base64 of 0x01 and 32 bytes)');
  const raw = bytes.subarray(1);
  if (hexId(noteKeyId(name, raw)) !== id)
    throw new RangeError('The verifier key id does not match its name and key');
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
  return { name, keyId: noteKeyId(name, raw), publicKey };
}

/** Signs `text` (which must end in a newline) as a note with one signature line. */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n')) throw new RangeError('A note text ends in a newline');
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId);
  const signature = sign(null, Buffer.from(text), signer.privateKey);
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/**
 * The text of `note` when a signature of `verifier` on it verifies; undefined when the note is
 * malformed, carries no signature of that key, or one that does not verify. Signatures of other
 * keys (witnesses' cosignatures, a rotated key) are ignored, as the specification asks.
 */
export function openNote(note: string, verifier: NoteVerifier): string | undefined {
  // eslint-disable-next-line no-control-regex -- the specification forbids control characters
  if (/[\x00-\x09\x0b-\x1f]/.test(note) || !note.endsWith('\n')) return undefined;
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return undefined;
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
    const [name, encoded, ...extra] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (name === undefined || encoded === undefined || extra.length > 0) return undefined;
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length < 4 || bytes.toString('base64') !== encoded) return undefined;
    if (name !== verifier.name || bytes.readUInt32BE(0) !== verifier.keyId) continue;
    if (!verify(null, Buffer.from(text), verifier.publicKey, bytes.subarray(4))) return undefined;
    verified = true;
  }
  return verified ? text : undefined;
}
