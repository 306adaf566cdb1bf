import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { weakSecretProblem } from './http/auth/secret-strength.js';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** Every setting the application reads, from environment variables, validated once at start. */
export class Config {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Local by default; a container or a host behind a proxy sets 0.0.0.0 (the Dockerfile does). */
  @IsString()
  HOST = '127.0.0.1';

  /** Where the embedded stores, the generated JWT secret and the personal-data keys live. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /**
   * The OpenID Connect provider whose access tokens are accepted (discovery at
   * `<issuer>/.well-known/openid-configuration`); set, it is used in every mode.
   */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['https', 'http'] },
    { message: "OIDC_ISSUER must be the provider's issuer URL, e.g. https://login.example.gov.cn" },
  )
  OIDC_ISSUER?: string;

  /** This registry's identifier at the provider: every token's `aud` must hold it. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  OIDC_AUDIENCE?: string;

  /**
   * The workbench's public client id at the provider (authorization code with PKCE, no secret;
   * redirect URI `<this server>/workbench`): without it the workbench offers no sign-in.
   */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, {
    message: 'OIDC_CLIENT_ID must be a client id (visible ASCII)',
  })
  OIDC_CLIENT_ID?: string;

  /** The scopes the workbench asks the provider for (space-separated; openid first). */
  @Matches(/^openid( [\x21\x23-\x5b\x5d-\x7e]+)*$/, {
    message: 'OIDC_SCOPE must be space-separated scopes starting with openid',
  })
  OIDC_SCOPE = 'openid';

  /** The claim holding the caller's role (city, district, street, committee, auditor). */
  @Matches(/^[A-Za-z0-9_.:/-]{1,100}$/, { message: 'OIDC_ROLE_CLAIM must be a claim name' })
  OIDC_ROLE_CLAIM = 'role';

  /** The claim holding the caller's division code. */
  @Matches(/^[A-Za-z0-9_.:/-]{1,100}$/, { message: 'OIDC_JURISDICTION_CLAIM must be a claim name' })
  OIDC_JURISDICTION_CLAIM = 'jurisdiction';

  /** The longest a token may live, from its `iat` (e.g. 30m, 12h, 1d). */
  @Matches(/^[1-9]\d*[smhd]?$/, { message: 'TOKEN_MAX_LIFETIME must look like 30m, 12h or 1d' })
  TOKEN_MAX_LIFETIME = '12h';

  /**
   * Verified tokens kept in memory until they expire, so a client's next request skips the
   * signature check (least recently used out first; each ~1 KB); 0 checks every request.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  TOKEN_CACHE_SIZE = 10_000;

  /** Production refuses HS256 tokens (a shared secret) unless this is true. */
  @Transform(toBool)
  @IsBoolean()
  ALLOW_HS256_IN_PRODUCTION = false;

  /**
   * The key-encryption key that wraps the personal-data keys: base64 of 32 bytes, never stored
   * in DATA_DIR. Or PERSONAL_DATA_KEK_FILE, a file holding it. Required in production.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'PERSONAL_DATA_KEK must be the base64 of 32 bytes (openssl rand -base64 32)',
  })
  PERSONAL_DATA_KEK?: string;

  @IsOptional()
  @IsString()
  PERSONAL_DATA_KEK_FILE?: string;

  @IsIn(['sqlite', 'eventstoredb'])
  EVENT_STORE: 'sqlite' | 'eventstoredb' = 'sqlite';

  /**
   * e.g. esdb://127.0.0.1:2113?tls=false (through @eventstore/db-client) or
   * kurrentdb://127.0.0.1:2113?tls=false (through @kurrent/kurrentdb-client)
   */
  @IsOptional()
  @Matches(/^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\/\S+$/, {
    message:
      'EVENTSTORE_URL must be an esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover://, kurrent:// or kdb:// connection string',
  })
  EVENTSTORE_URL?: string;

  @IsIn(['sqlite', 'mongodb'])
  READ_STORE: 'sqlite' | 'mongodb' = 'sqlite';

  /** e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0 */
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, {
    message: 'MONGODB_URL must be a mongodb:// connection string',
  })
  MONGODB_URL?: string;

  @Matches(/^[A-Za-z0-9_-]{1,60}$/, { message: 'MONGODB_DB must be a database name' })
  MONGODB_DB = 'community_orgs';

  /** A CA certificate file (PEM) the MongoDB server's certificate must chain to; turns TLS on. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_TLS_CA_FILE?: string;

  /** This client's certificate and private key in one PEM file, for mutual TLS; turns TLS on. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_TLS_CERT_KEY_FILE?: string;

  /** The MongoDB user, when the URL names none; the password comes from MONGODB_PASSWORD_FILE. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_USERNAME?: string;

  /** A file holding MONGODB_USERNAME's password (a mounted secret), kept out of the URL. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MONGODB_PASSWORD_FILE?: string;

  /** Connections each MongoDB client (read store, vault, access log) keeps at most. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MONGODB_MAX_POOL_SIZE = 20;

  /**
   * How long to wait for a connection, for a server to serve an operation (the primary: longer
   * than an election), and for a majority to acknowledge a write.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  MONGODB_TIMEOUT_MS = 15_000;

  /** The longest one index build of a read model may run before the server stops it. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  MONGODB_INDEX_BUILD_TIMEOUT_MS = 600_000;

  /** `kafka` publishes every stored event to Kafka (the gateway); `none` publishes nothing. */
  @IsIn(['none', 'kafka'])
  PUBLISHER: 'none' | 'kafka' = 'none';

  /** Comma-separated `host:port` list. */
  @IsOptional()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, {
    message: 'KAFKA_BROKERS must be host:port[,host:port…]',
  })
  KAFKA_BROKERS?: string;

  @Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: 'KAFKA_TOPIC must be a valid Kafka topic name' })
  KAFKA_TOPIC = 'community-orgs.events';

  /** FULL: an acknowledged write survives power loss; NORMAL only process crashes (faster). */
  @IsIn(['FULL', 'NORMAL'])
  SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL' = 'FULL';

  /**
   * Memory for the organizations kept folded (the stream cache of the command path and of
   * GET /organizations/{id}), in MiB of estimated size; the least recently used go beyond it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65536)
  STREAM_CACHE_MB = 64;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACTIVITY_STREET_THRESHOLD = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACTIVITY_DISTRICT_THRESHOLD = 500;

  @Transform(toBool)
  @IsBoolean()
  TEAMS_IN_SPECIAL_UNITS = true;

  @Transform(toBool)
  @IsBoolean()
  GOVERNMENT_PURCHASE_REQUIRES_REGISTERED = true;

  /** 1,000,000,000 fen = 10 million yuan per grant. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_GRANT_FEN = 1_000_000_000;

  /**
   * The day of the following year by which an annual work report is on time (`MM-DD`, default
   * 30 June). 29 February is refused: the due date must exist every year.
   */
  @Matches(
    /^(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$|^(0[13-9]|1[0-2])-(29|30)$|^(0[13578]|1[02])-31$/,
    {
      message: 'ANNUAL_REPORT_DUE must be a day of every year as MM-DD, e.g. 06-30',
    },
  )
  ANNUAL_REPORT_DUE = '06-30';

  /**
   * A group or team with no activity report for this many months is a candidate for the periodic
   * clean-up (定期清理): the worklist `inactive-teams`.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  INACTIVE_MONTHS = 12;

  /** The policy's targets: organizations per urban / rural community on average (DOMAIN §2). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  URBAN_TARGET = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RURAL_TARGET = 7;

  /**
   * How long a replica's lease on the projection runner and the Kafka gateway lasts unless
   * renewed (renewed before every batch); another replica takes over this long after a crash.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  LEASE_SECONDS = 15;

  /**
   * After a projection round that applied events, the runner waits this long before the next:
   * under a stream of writes each round folds more of them and writes the documents they share
   * once. The read models lag the log by up to this much more under load (0: no pause).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  PROJECTION_PACE_MS = 50;

  /** A request (headers and body) must arrive within this; slower clients get 408. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  REQUEST_TIMEOUT_SECONDS = 30;

  /** Requests per minute for each token subject; 0 turns the limit off (the bench does). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 1200;

  /** Requests per minute for each address without a valid token; 0 turns the limit off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PUBLIC_PER_MINUTE = 600;

  /**
   * Behind a reverse proxy: client addresses (for the public rate limit) and the scheme come from
   * its X-Forwarded-For / X-Forwarded-Proto, and HTTPS answers carry HSTS. Never set it when
   * clients reach the server directly: they could then choose their own address.
   */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /**
   * The origin line of the log's signed checkpoints (C2SP tlog-checkpoint) and the name of its
   * signing key: a schema-less URL naming this registry, without spaces nor `+`.
   */
  @Matches(/^[\x21-\x2a\x2c-\x7e]{1,200}$/, {
    message:
      'LOG_ORIGIN must be visible ASCII without spaces nor +, e.g. registry.example.gov.cn/log',
  })
  LOG_ORIGIN = 'community-orgs.registry.local';

  /**
   * The log's Ed25519 signing key as a signed-note signer key,
   * `PRIVATE+KEY+<LOG_ORIGIN>+<key id>+<base64>` (as golang.org/x/mod/sumdb/note writes them).
   * Without it, a key generated once in DATA_DIR (log-signing.key, mode 0600) for local use.
   */
  @IsOptional()
  @Matches(/^PRIVATE\+KEY\+[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/, {
    message:
      'LOG_SIGNING_KEY must be a signer key PRIVATE+KEY+<origin>+<key id>+<base64> (npm run audit -- log-key --new)',
  })
  LOG_SIGNING_KEY?: string;

  /** A checkpoint is signed once this many events were appended since the last one… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHECKPOINT_EVERY_EVENTS = 1000;

  /** …or once this many seconds passed since it, if any event was appended meanwhile. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  CHECKPOINT_EVERY_SECONDS = 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export const CONFIG = Symbol('Config');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * One message per variable: a value of the wrong kind ("abc" for a port) is told that, not also
 * that it is out of range; the kind checks are the constraints named `is…`.
 */
function mainProblem(constraints: Readonly<Record<string, string>> = {}): string {
  const entries = Object.entries(constraints);
  const kind = entries.find(([name]) => name.startsWith('is'));
  return (kind ?? entries[0])?.[1] ?? 'invalid value';
}

/**
 * Key-encryption keys of the tests and of the bench before its keys were generated per dataset:
 * anyone who read the code knows them.
 */
export const PUBLISHED_KEKS: ReadonlySet<string> = new Set([
  'dGVzdC1vbmx5LWtleS1lbmNyeXB0aW9uLWtleS0zMmI=',
  'YmVuY2gtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI=',
]);

/** Settings whose value a problem does not repeat: the message may end up in a log. */
const UNECHOED: ReadonlySet<string> = new Set(['PERSONAL_DATA_KEK']);

/** Reads and validates the configuration; unknown variables are ignored, bad ones listed together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(new Config());
  const raw = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) =>
        value !== undefined && value !== '' && (known.includes(key) || key === 'JWT_SECRET'),
    ),
  );
  const config = plainToInstance(Config, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map(
        (e) =>
          `${e.property}=${UNECHOED.has(e.property) ? '…' : JSON.stringify(e.value)}: ${mainProblem(e.constraints)}`,
      ),
    );
  }
  if (config.ACTIVITY_DISTRICT_THRESHOLD <= config.ACTIVITY_STREET_THRESHOLD) {
    throw new ConfigError(['ACTIVITY_DISTRICT_THRESHOLD must be above ACTIVITY_STREET_THRESHOLD']);
  }
  if (config.EVENT_STORE === 'eventstoredb' && !config.EVENTSTORE_URL) {
    throw new ConfigError([
      'EVENT_STORE=eventstoredb needs EVENTSTORE_URL (e.g. esdb://127.0.0.1:2113?tls=false)',
    ]);
  }
  if (config.READ_STORE === 'mongodb' && !config.MONGODB_URL) {
    throw new ConfigError([
      'READ_STORE=mongodb needs MONGODB_URL (e.g. mongodb://127.0.0.1:27017/)',
    ]);
  }
  if ((config.MONGODB_USERNAME === undefined) !== (config.MONGODB_PASSWORD_FILE === undefined)) {
    throw new ConfigError([
      'MONGODB_USERNAME and MONGODB_PASSWORD_FILE go together: set both or neither',
    ]);
  }
  if (config.PUBLISHER === 'kafka' && !config.KAFKA_BROKERS) {
    throw new ConfigError(['PUBLISHER=kafka needs KAFKA_BROKERS (e.g. 127.0.0.1:9092)']);
  }
  if (config.OIDC_ISSUER !== undefined && config.OIDC_AUDIENCE === undefined) {
    throw new ConfigError([
      "OIDC_ISSUER needs OIDC_AUDIENCE (this registry's identifier at the provider)",
    ]);
  }
  if (config.NODE_ENV === 'production') {
    const problems = productionProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  if (config.PERSONAL_DATA_KEK && config.PERSONAL_DATA_KEK_FILE) {
    throw new ConfigError(['set PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE, not both']);
  }
  return config;
}

/** What production refuses, all at once: an operator fixes the lot in one go. */
function productionProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.OIDC_ISSUER === undefined) {
    if (!config.ALLOW_HS256_IN_PRODUCTION)
      problems.push(
        'production needs OIDC_ISSUER and OIDC_AUDIENCE (HS256 tokens with a shared JWT_SECRET are refused unless ALLOW_HS256_IN_PRODUCTION=true)',
      );
    else if (!config.JWT_SECRET)
      problems.push('JWT_SECRET is required in production (at least 32 characters)');
    else {
      const weak = weakSecretProblem(config.JWT_SECRET);
      if (weak) problems.push(weak);
    }
  }
  // A generated key would sit on the server's own disk, which is what the KEK is kept from.
  if (!config.PERSONAL_DATA_KEK && !config.PERSONAL_DATA_KEK_FILE)
    problems.push(
      'PERSONAL_DATA_KEK (base64 of 32 bytes: openssl rand -base64 32) or PERSONAL_DATA_KEK_FILE is required in production',
    );
  if (config.PERSONAL_DATA_KEK && PUBLISHED_KEKS.has(config.PERSONAL_DATA_KEK))
    problems.push(
      'PERSONAL_DATA_KEK is published in the repository: generate one, e.g. openssl rand -base64 32',
    );
  return problems;
}
