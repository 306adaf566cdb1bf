import 'reflect-metadata';
import { createApp } from './app.js';
import { checkDataFiles } from './adapters/stores.js';
import { DataFileError } from './adapters/sqlite/data-file.js';
import { ForeignCheckpointError } from './event-sourcing/positions/checkpoint-check.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before Nest: a provider failing inside it is logged with its stack and ends the process.
  checkDataFiles(config);
  const app = await createApp({ config });
  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(
    `Community organization registry listening on http://${config.HOST}:${config.PORT} (data in ${config.DATA_DIR})`,
  );
}

/** A port already taken is an everyday mistake (a second `npm start`): one line, not a stack. */
function portTaken(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  // A damaged or foreign store file, or checkpoints of another event store: the operator needs
  // which file or checkpoint and what to do, not a stack.
  if (error instanceof DataFileError || error instanceof ForeignCheckpointError) {
    console.error(error.message);
    process.exit(1);
  }
  if (portTaken(error)) {
    const { HOST, PORT } = loadConfig();
    console.error(
      `Cannot listen on ${HOST}:${String(PORT)}: the port is taken (is the registry already running?). Stop the other server or choose another PORT.`,
    );
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
