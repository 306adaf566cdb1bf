/**
 * A loopback port that was free a moment ago: bind port 0, read it, close. Shared by the bench
 * (which starts the compiled server) and the tests (which start it and a second Kafka broker);
 * it lives here because the bench build (tsconfig.build.json) compiles src, projections and
 * bench but not test, while the tests' config includes bench.
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
