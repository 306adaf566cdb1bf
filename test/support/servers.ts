/**
 * The servers some suites need (a Kafka broker, a MongoDB-wire server, a browser, EventStoreDB,
 * later an OpenID Connect provider), found from the environment, and one rule for when one is
 * missing: the suite is skipped with a loud message naming the variable to set, never passed.
 * Under CI (CI set, and not `false` or `0`) a missing server that CI starts is a failing test
 * instead; EventStoreDB, which CI can never start, is shown as skipped there too.
 */
import { existsSync } from 'node:fs';

interface Server {
  /** What the server is, for the messages. */
  readonly what: string;
  /** The environment variable that names it. */
  readonly variable: string;
  /** What is wrong when it is not found (by default: the variable is not set). */
  readonly missing?: string;
  /** How to get one, for the messages. */
  readonly hint: string;
  /** Whether CI provides it, so that there it is required. */
  readonly inCi: boolean;
  /** Where it is (what the suite is given), or undefined when there is none. */
  locate(): string | undefined;
}

const fromEnv = (variable: string) => (): string | undefined => {
  const value = process.env[variable]?.trim() ?? '';
  return value === '' ? undefined : value;
};

const SERVERS = {
  kafka: {
    what: 'a Kafka broker',
    variable: 'KAFKA_BROKERS',
    hint: 'start one with `npm run services -- start kafka` and export the KAFKA_BROKERS line it prints',
    inCi: true,
    locate: fromEnv('KAFKA_BROKERS'),
  },
  mongodb: {
    what: 'a MongoDB-wire server',
    variable: 'MONGODB_URL',
    hint: 'start one with `npm run services -- start mongodb` and export the MONGODB_URL it prints',
    inCi: true,
    locate: fromEnv('MONGODB_URL'),
  },
  browser: {
    what: 'a chromium browser',
    variable: 'CHROMIUM_PATH',
    missing: 'no chromium at CHROMIUM_PATH (by default /usr/bin/chromium)',
    hint: "install Debian's chromium (`apt-get install chromium`, /usr/bin/chromium) or set CHROMIUM_PATH to one",
    inCi: true,
    locate: () => {
      const path = fromEnv('CHROMIUM_PATH')() ?? '/usr/bin/chromium';
      return existsSync(path) ? path : undefined;
    },
  },
  eventstoredb: {
    what: 'an EventStoreDB (KurrentDB) server',
    variable: 'EVENTSTORE_URL',
    hint:
      'no package registry ships one, so neither this machine nor CI can start it; with Docker: ' +
      '`docker compose up eventstoredb` and EVENTSTORE_URL=esdb://127.0.0.1:2113?tls=false ' +
      '(the adapter mapping is still unit-tested over a stand-in client: test/unit/eventstoredb/)',
    inCi: false,
    locate: fromEnv('EVENTSTORE_URL'),
  },
  /** Not used yet: for the tests against a real OpenID Connect provider, once CI starts one. */
  oidc: {
    what: 'an OpenID Connect test identity provider',
    variable: 'OIDC_ISSUER',
    hint: 'set OIDC_ISSUER to the issuer URL of a test provider',
    inCi: true,
    locate: fromEnv('OIDC_ISSUER'),
  },
} as const satisfies Record<string, Server>;

export type ServerName = keyof typeof SERVERS;

export function inCi(): boolean {
  const ci = process.env.CI ?? '';
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** Where the server is (its variable's value; the browser's path), or undefined. */
export function serverAddress(name: ServerName): string | undefined {
  return SERVERS[name].locate();
}

/**
 * Defines the suite `title` with the server's address when there is one. Without it: under CI,
 * when CI provides that server, one failing test says what is missing; otherwise the suite is
 * skipped (shown as skipped in the report) after a loud warning naming the variable to set.
 */
export function describeWithServer(
  name: ServerName,
  title: string,
  suite: (address: string) => void,
): void {
  const server: Server = SERVERS[name];
  const address = server.locate();
  if (address !== undefined) {
    describe(title, () => {
      suite(address);
    });
    return;
  }
  const missing = `${server.missing ?? `${server.variable} is not set`}: ${server.what} is missing`;
  if (inCi() && server.inCi) {
    describe(title, () => {
      it(`needs ${server.what} in CI (${server.variable})`, () => {
        throw new Error(`${missing}, but CI must run "${title}": ${server.hint}.`);
      });
    });
    return;
  }
  const banner = '!'.repeat(96);
  console.warn(
    [
      banner,
      `!!! SKIPPED "${title}"`,
      `!!! ${missing}; ${server.hint}.`,
      server.inCi
        ? '!!! (In CI a missing server is a failure.)'
        : '!!! (CI cannot start it either: there too this suite is shown as skipped.)',
      banner,
    ].join('\n'),
  );
  describe.skip(title, () => {
    it(`needs ${server.what} (${server.variable})`, () => undefined);
  });
}
