/**
 * C2SP signed-note with Ed25519, against the published example of golang.org/x/mod/sumdb/note
 * (note.go's package documentation and note_test.go): its signer key, verifier key, text and
 * signed note. Ed25519 is deterministic (RFC 8032), so signing that text with that key must give
 * that note byte for byte. And C2SP tlog-checkpoint texts round-trip.
 */
import { randomBytes } from 'node:crypto';
import { checkpointText, parseCheckpointText } from '../../../src/audit/merkle/checkpoint.js';
import { EMPTY_TREE_ROOT, leafHash } from '../../../src/audit/merkle/hashing.js';
import {
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signerFromSeed,
  signerKeyString,
  signNote,
  verifierKeyString,
} from '../../../src/audit/merkle/signed-note.js';

const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const NOTE =
  `${TEXT}\n` +
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('C2SP signed-note (Ed25519) against the golang.org/x/mod/sumdb/note example', () => {
  it('derives the published verifier key and key id from the signer key', () => {
    const signer = parseSignerKey(SKEY);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(noteKeyId(signer.name, signer.publicKey)).toBe(0xc74f20a3);
    expect(verifierKeyString(signer)).toBe(VKEY);
  });

  it('signs the published text into the published note, byte for byte', () => {
    expect(signNote(TEXT, parseSignerKey(SKEY))).toBe(NOTE);
  });

  it('opens the published note with the verifier key, and refuses it altered', () => {
    const verifier = parseVerifierKey(VKEY);
    expect(openNote(NOTE, verifier)).toBe(TEXT);
    expect(openNote(NOTE.replace('cryptography', 'cryptographY'), verifier)).toBeUndefined();
    expect(openNote(TEXT, verifier)).toBeUndefined();
  });

  it('ignores signatures of other keys, and needs one of its own', () => {
    const other = signerFromSeed('witness.example/w1', randomBytes(32));
    const cosigned = `${NOTE}${signNote(TEXT, other).slice(TEXT.length + 1)}`;
    expect(openNote(cosigned, parseVerifierKey(VKEY))).toBe(TEXT);
    expect(openNote(signNote(TEXT, other), parseVerifierKey(VKEY))).toBeUndefined();
    // Same name, another key: its id differs, so it is not taken for the known key.
    const impostor = signerFromSeed('PeterNeumann', randomBytes(32));
    expect(openNote(signNote(TEXT, impostor), parseVerifierKey(VKEY))).toBeUndefined();
  });

  it('refuses malformed keys', () => {
    expect(() => parseSignerKey(SKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(RangeError);
    expect(() => parseVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(RangeError);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3+AAAA')).toThrow(RangeError);
    expect(() => signerFromSeed('has space', randomBytes(32))).toThrow(RangeError);
  });

  it('writes a signer key string that reads back as the same key', () => {
    const seed = randomBytes(32);
    const signer = parseSignerKey(signerKeyString('community-orgs.registry.local', seed));
    expect(signer.publicKey).toEqual(
      signerFromSeed('community-orgs.registry.local', seed).publicKey,
    );
  });
});

describe('C2SP tlog-checkpoint text', () => {
  it('is origin, size and base64 root, one a line', () => {
    const root = leafHash(Buffer.from('x'));
    const text = checkpointText({ origin: 'example.com/log', size: 20852163, root });
    expect(text).toBe(`example.com/log\n20852163\n${root.toString('base64')}\n`);
    expect(parseCheckpointText(text)).toEqual({ origin: 'example.com/log', size: 20852163, root });
  });

  it('reads the empty tree, and refuses what is not a checkpoint', () => {
    const empty = checkpointText({ origin: 'o', size: 0, root: EMPTY_TREE_ROOT });
    expect(parseCheckpointText(empty)?.size).toBe(0);
    expect(parseCheckpointText('o\n01\nAAAA\n')).toBeUndefined();
    expect(parseCheckpointText(empty.slice(0, -1))).toBeUndefined();
    expect(parseCheckpointText(`o\n1\n${EMPTY_TREE_ROOT.toString('base64')}\n\n`)).toBeUndefined();
  });
});
