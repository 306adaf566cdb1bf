import { readFileSync } from 'node:fs';
import type { MongoClientOptions } from 'mongodb';
import { ConfigError, type Config } from '../../config.js';

export type MongoSettings = Pick<
  Config,
  | 'MONGODB_TLS_CA_FILE'
  | 'MONGODB_TLS_CERT_KEY_FILE'
  | 'MONGODB_USERNAME'
  | 'MONGODB_PASSWORD_FILE'
  | 'MONGODB_MAX_POOL_SIZE'
  | 'MONGODB_TIMEOUT_MS'
>;

/**
 * The driver options the configuration asks for, the same for every MongoDB client of the
 * server (read store, vault, access log). They win over the URL's. Files are read here, at
 * connect, so that an unreadable one is named instead of failing inside the driver.
 */
export function mongoClientOptions(settings: MongoSettings): MongoClientOptions {
  const options: MongoClientOptions = {
    maxPoolSize: settings.MONGODB_MAX_POOL_SIZE,
    connectTimeoutMS: settings.MONGODB_TIMEOUT_MS,
    serverSelectionTimeoutMS: settings.MONGODB_TIMEOUT_MS,
  };
  if (settings.MONGODB_TLS_CA_FILE !== undefined) {
    readable(settings.MONGODB_TLS_CA_FILE, 'MONGODB_TLS_CA_FILE');
    Object.assign(options, { tls: true, tlsCAFile: settings.MONGODB_TLS_CA_FILE });
  }
  if (settings.MONGODB_TLS_CERT_KEY_FILE !== undefined) {
    readable(settings.MONGODB_TLS_CERT_KEY_FILE, 'MONGODB_TLS_CERT_KEY_FILE');
    Object.assign(options, {
      tls: true,
      tlsCertificateKeyFile: settings.MONGODB_TLS_CERT_KEY_FILE,
    });
  }
  if (settings.MONGODB_USERNAME !== undefined && settings.MONGODB_PASSWORD_FILE !== undefined) {
    // A file written by `echo` ends with a newline that is no part of the password.
    const password = readable(settings.MONGODB_PASSWORD_FILE, 'MONGODB_PASSWORD_FILE').replace(
      /\r?\n$/,
      '',
    );
    if (password === '') {
      throw new ConfigError([`MONGODB_PASSWORD_FILE ${settings.MONGODB_PASSWORD_FILE} is empty`]);
    }
    options.auth = { username: settings.MONGODB_USERNAME, password };
  }
  return options;
}

function readable(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as { code?: unknown }).code;
    throw new ConfigError([
      `${variable} ${file} cannot be read${typeof reason === 'string' ? ` (${reason})` : ''}`,
    ]);
  }
}
