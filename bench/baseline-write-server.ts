/**
 * The HTTP writes figure's baseline, run as its own process like the server
 * (`node dist/bench/baseline-write-server.js`, PORT and DATA_DIR from the environment): the
 * least a durable write route on the same stack does. Fastify parses the same JSON body as
 * POST /organizations, and one event carrying it is appended to a stream of its own through the
 * same embedded event store (`events.sqlite` in DATA_DIR, synchronous=FULL and group commit as
 * shipped), answered 201 once durable. No auth, no validation, no projections, no Nest: what a
 * registration costs beyond this is the registry's own work. Bench only, never in the product.
 */
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/adapters/sqlite/sqlite-event-store.js';
import { positionToJson } from '../src/event-sourcing/ports/event-store.port.js';

async function main(): Promise<void> {
  const dataDir = process.env['DATA_DIR'];
  if (dataDir === undefined) throw new Error('DATA_DIR is required');
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  const app = Fastify({ logger: false });
  app.get('/health', () => ({ status: 'ok' }));
  app.post('/organizations', async (request, reply) => {
    const id = randomUUID();
    const { position } = await store.appendToStream(
      `baseline-${id}`,
      [{ id: randomUUID(), type: 'BaselineWritten', data: request.body, metadata: {} }],
      'no_stream',
    );
    return reply.code(201).send({ id, position: positionToJson(position) });
  });
  const close = async (): Promise<void> => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT']) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
