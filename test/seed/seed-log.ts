import { LOG_START } from '../../src/event-sourcing/ports/event-store.port.js';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import type { SeedTarget } from '../../src/seed/seed-runner.js';

export async function allEvents(target: SeedTarget): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await target.store.readAll({
      fromPosition: events.at(-1)?.position ?? LOG_START,
      maxCount: 5000,
    });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

/** The log with what legitimately differs between two runs left out (event ids, ciphertexts, hashes). */
export async function normalizedLog(target: SeedTarget): Promise<unknown[]> {
  return (await allEvents(target)).map((e) => {
    const data = { ...(e.data as Record<string, unknown>) };
    if ('contact' in data) data['contact'] = 'sealed';
    if (Array.isArray(data['founders'])) data['founders'] = data['founders'].map(sealedAsSuch);
    const { hash: _hash, prevHash: _prevHash, ...metadata } = e.metadata;
    return [e.position, e.streamId, e.revision, e.type, data, metadata];
  });
}

/** A resident founder's name sealed: its ciphertext differs from run to run, its key version not. */
export function sealedAsSuch(founder: unknown): unknown {
  const f = founder as { readonly sealedName?: { readonly keyVersion: number } };
  return f.sealedName ? { ...f, sealedName: { keyVersion: f.sealedName.keyVersion } } : founder;
}
