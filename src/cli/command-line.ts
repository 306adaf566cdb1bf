import { parseArgs } from 'node:util';

type Config = NonNullable<Parameters<typeof parseArgs>[0]>;

/** Bad usage: the reason and the usage on stderr, exit status 2 (as every command here). */
export function usageError(usage: string, message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

/**
 * The command's arguments: `--help` or `-h` anywhere prints the usage on stdout and exits 0;
 * an unknown or malformed option is bad usage.
 */
export function commandLine<const C extends Config>(usage: string, config: C) {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    return usageError(usage, (error as Error).message);
  }
}
