/**
 * A fault, not a Kafka: a TCP server that accepts every connection and never answers a byte,
 * like a broker hung behind a live socket (or a firewall that swallows the packets).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface SilentBroker {
  readonly address: string;
  /** Connections accepted so far: proof the client got as far as talking to it. */
  connections(): number;
  close(): Promise<void>;
}

export async function startSilentBroker(): Promise<SilentBroker> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    address: `127.0.0.1:${String(address.port)}`,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
