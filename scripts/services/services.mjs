#!/usr/bin/env node
// Starts and stops the real servers the tests use, without Docker:
//   - Apache Kafka 3.9.1 (KRaft, one combined broker+controller), jars fetched with Maven;
//   - FerretDB 1.24.2 on SQLite (a MongoDB-wire server), built once with Go.
//
//   npm run services -- start|stop|status [kafka|mongodb]
//
// Progress goes to stderr; stdout gets only `KAFKA_BROKERS=…` and `MONGODB_URL=…` lines, so
// `npm run -s services -- start > services.env` gives a file to source.
// Downloads and builds are cached under ${XDG_CACHE_HOME:-~/.cache}/community-orgs/; pid files,
// logs and data live under ${XDG_RUNTIME_DIR:-/tmp}/community-orgs-services/<name>/.
//
// Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), MONGODB_PORT (27017),
// SERVICES_START_TIMEOUT seconds (120), FERRETDB_LOG_LEVEL (warn), JAVA_HOME, KAFKA_HEAP (512m).

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT = path.resolve(HERE, '../..');
const CACHE = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
  'community-orgs',
);
const RUNTIME = path.join(process.env.XDG_RUNTIME_DIR || os.tmpdir(), 'community-orgs-services');
const START_TIMEOUT_MS = Number(process.env.SERVICES_START_TIMEOUT || 120) * 1000;
const STOP_TIMEOUT_MS = 20_000;

const USAGE = `usage: npm run services -- <start|stop|status> [kafka|mongodb]

  start   start the server(s) (no name: both) and print KAFKA_BROKERS=… / MONGODB_URL=…
  stop    stop the server(s) and remove their data
  status  print the line of each running server; exit 1 if one is not running

environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), MONGODB_PORT (27017),
             SERVICES_START_TIMEOUT seconds (120)`;

class Failure extends Error {}

const log = (msg) => process.stderr.write(`[services] ${msg}\n`);

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Failure(`${name}=${raw} is not a TCP port`);
  }
  return port;
}

function sha256(...files) {
  const hash = createHash('sha256');
  for (const f of files) hash.update(fs.readFileSync(f));
  return hash.digest('hex');
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion, its output appended to logFile, with a heartbeat on stderr. */
function run(cmd, args, { cwd, env, logFile, label }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    const beat = setInterval(() => {
      log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s`);
    }, 20_000);
    let settled = false;
    const done = (err) => {
      if (settled) return; // 'exit' may follow 'error'
      settled = true;
      clearInterval(beat);
      fs.closeSync(out);
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (e) => {
      done(new Failure(`${label}: cannot run ${cmd}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      if (code === 0) done();
      else
        done(
          new Failure(
            `${label} failed (${signal ?? `exit ${code}`}); ${logFile}:\n${tail(logFile)}`,
          ),
        );
    });
  });
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
function portAnswers(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Sends one length-framed request and resolves with the first whole reply frame. */
function exchange(port, request, frameLength, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    const finish = (err, value) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error('timed out')));
    socket.once('error', (e) => finish(e));
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const need = buffer.length >= 4 ? frameLength(buffer) : Infinity;
      if (buffer.length >= need) finish(null, buffer.subarray(0, need));
    });
    socket.once('end', () => finish(new Error('connection closed')));
  });
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: <runtime>/<name>/{pid,env,server.log,data/}

function serviceDir(name) {
  return path.join(RUNTIME, name);
}

/** The pid of the service if it is alive and still the process we started. */
function runningPid(service) {
  const pidFile = path.join(serviceDir(service.name), 'pid');
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (!alive(pid)) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(service.marker)) return null; // the pid was reused
  } catch {
    // no /proc: trust the pid file
  }
  return pid;
}

/** Whether the process exists and is not a zombie (an exited child nobody has reaped yet). */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc
  }
}

function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? `${Math.round(Number(m[1]) / 1024)} MiB` : '?';
  } catch {
    return '?';
  }
}

function savedLine(service) {
  try {
    return fs.readFileSync(path.join(serviceDir(service.name), 'env'), 'utf8').trim();
  } catch {
    return null;
  }
}

async function start(service) {
  const dir = serviceDir(service.name);
  const pid = runningPid(service);
  if (pid !== null) {
    const line = savedLine(service);
    if (line === null)
      throw new Failure(`${service.name} runs (pid ${pid}) but ${dir}/env is gone`);
    log(`${service.name} already running (pid ${pid})`);
    return line;
  }

  const ports = service.ports();
  for (const port of ports) {
    if (await portAnswers(port)) {
      throw new Failure(
        `${service.name}: port ${port} on 127.0.0.1 is taken by another process; ` +
          `set ${service.portVars} to free ports`,
      );
    }
  }

  const began = Date.now();
  await service.prepare(); // download or build on the first run
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const logFile = path.join(dir, 'server.log');
  const { cmd, args, env } = await service.command(dir, logFile);

  log(`starting ${service.name} on 127.0.0.1:${ports[0]} (log: ${logFile})`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit ${code}`;
  });
  const spawnError = await new Promise((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', (e) => resolve(e));
  });
  if (spawnError) throw new Failure(`${service.name}: cannot run ${cmd}: ${spawnError.message}`);
  fs.writeFileSync(path.join(dir, 'pid'), `${child.pid}\n`);
  child.unref();

  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = 'not tried';
  for (;;) {
    if (exited !== null) {
      fs.rmSync(path.join(dir, 'pid'), { force: true });
      throw new Failure(
        `${service.name} exited during start (${exited}); ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      await stopPid(service, child.pid);
      fs.rmSync(path.join(dir, 'pid'), { force: true });
      throw new Failure(
        `${service.name} not ready after ${START_TIMEOUT_MS / 1000} s (${lastError}); ` +
          `${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      if (await portAnswers(ports[0])) {
        await service.ready();
        break;
      }
      lastError = 'port closed';
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await sleep(250);
  }
  const line = service.line();
  fs.writeFileSync(path.join(dir, 'env'), `${line}\n`);
  log(
    `${service.name} ready in ${((Date.now() - began) / 1000).toFixed(1)} s ` +
      `(pid ${child.pid}, RSS ${rssOf(child.pid)})`,
  );
  return line;
}

async function stopPid(service, pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    log(`${service.name} (pid ${pid}) ignored SIGTERM for ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    const killDeadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < killDeadline) await sleep(100);
  }
}

async function stop(service) {
  const dir = serviceDir(service.name);
  const pid = runningPid(service);
  if (pid === null) {
    log(`${service.name} is not running`);
  } else {
    const began = Date.now();
    await stopPid(service, pid);
    log(`${service.name} stopped (pid ${pid}) in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
  // Keep the last server.log for a post-mortem; the data, pid and env files go.
  for (const f of ['data', 'pid', 'env'])
    fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

function status(service) {
  const pid = runningPid(service);
  if (pid === null) {
    log(`${service.name}: stopped`);
    return null;
  }
  log(`${service.name}: running (pid ${pid}, RSS ${rssOf(pid)})`);
  return savedLine(service);
}

// ---------------------------------------------------------------------------------------------
// Kafka 3.9.1

const KAFKA_VERSION = '3.9.1';
const KAFKA_CACHE = path.join(CACHE, `kafka-${KAFKA_VERSION}`);
const KAFKA_LIB = path.join(KAFKA_CACHE, 'lib');
const KAFKA_POM = path.join(HERE, 'kafka', 'pom.xml');

const kafka = {
  name: 'kafka',
  marker: 'kafka.Kafka',
  portVars: 'KAFKA_PORT and KAFKA_CONTROLLER_PORT',
  port: () => portFromEnv('KAFKA_PORT', 9092),
  controllerPort: () => portFromEnv('KAFKA_CONTROLLER_PORT', 9093),
  ports() {
    const ports = [this.port(), this.controllerPort()];
    if (ports[0] === ports[1])
      throw new Failure('KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ');
    return ports;
  },
  line() {
    return `KAFKA_BROKERS=127.0.0.1:${this.port()}`;
  },
  java() {
    return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  },

  async prepare() {
    const stamp = path.join(KAFKA_CACHE, 'pom.sha256');
    const want = sha256(KAFKA_POM);
    if (
      fs.existsSync(KAFKA_LIB) &&
      fs.existsSync(stamp) &&
      fs.readFileSync(stamp, 'utf8') === want
    ) {
      return;
    }
    fs.mkdirSync(KAFKA_CACHE, { recursive: true });
    const staging = `${KAFKA_LIB}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    const logFile = path.join(KAFKA_CACHE, 'mvn.log');
    fs.writeFileSync(logFile, '');
    log(
      `fetching Apache Kafka ${KAFKA_VERSION} jars with Maven into ${KAFKA_LIB} (first run only)`,
    );
    const began = Date.now();
    await run(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        KAFKA_POM,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
      ],
      { cwd: path.dirname(KAFKA_POM), env: process.env, logFile, label: 'mvn' },
    );
    fs.rmSync(KAFKA_LIB, { recursive: true, force: true });
    fs.renameSync(staging, KAFKA_LIB);
    fs.writeFileSync(stamp, want);
    const jars = fs.readdirSync(KAFKA_LIB).filter((f) => f.endsWith('.jar')).length;
    log(`fetched ${jars} jars in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  },

  async command(dir, logFile) {
    const port = this.port();
    const controllerPort = this.controllerPort();
    const props = path.join(dir, 'server.properties');
    const log4j = path.join(dir, 'log4j.properties');
    fs.writeFileSync(
      props,
      [
        '# Single-node KRaft broker for tests, written by scripts/services/services.mjs',
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        'controller.listener.names=CONTROLLER',
        `log.dirs=${path.join(dir, 'data')}`,
        'num.partitions=1',
        'offsets.topic.num.partitions=1',
        'offsets.topic.replication.factor=1',
        'transaction.state.log.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=true',
        'delete.topic.enable=true',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      log4j,
      [
        'log4j.rootLogger=INFO, stdout',
        'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
        'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
        'log4j.logger.kafka=INFO',
        'log4j.logger.org.apache.kafka=INFO',
        'log4j.logger.kafka.request.logger=WARN',
        'log4j.logger.kafka.controller=INFO',
        'log4j.logger.kafka.log.LogCleaner=WARN',
        'log4j.logger.state.change.logger=WARN',
        'log4j.logger.kafka.authorizer.logger=WARN',
        'log4j.logger.org.apache.kafka.clients.consumer.ConsumerConfig=WARN',
        'log4j.logger.org.apache.kafka.clients.producer.ProducerConfig=WARN',
        'log4j.logger.org.apache.kafka.clients.admin.AdminClientConfig=WARN',
        '',
      ].join('\n'),
    );
    const java = this.java();
    const classpath = `${KAFKA_LIB}/*`;
    const jvm = [
      `-Dlog4j.configuration=file:${log4j}`,
      '-Djava.awt.headless=true',
      '-cp',
      classpath,
    ];
    // The cluster id: 16 random bytes in base64url, 22 characters without padding. Like Kafka's
    // own Uuid.randomUuid(), avoid a leading '-': the tool would take the id for an option.
    let clusterId;
    do clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-'));
    await run(
      java,
      [
        ...jvm,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        props,
        '--ignore-formatted',
      ],
      { cwd: dir, env: process.env, logFile, label: 'kafka storage format' },
    );
    const heap = process.env.KAFKA_HEAP || '512m';
    return {
      cmd: java,
      args: [`-Xms${heap}`, `-Xmx${heap}`, ...jvm, 'kafka.Kafka', props],
      env: {},
    };
  },

  /** Ready when a Metadata request (what kafkajs admin.describeCluster sends) lists a broker. */
  async ready() {
    const brokers = await kafkaMetadataBrokers(this.port());
    if (brokers < 1) throw new Error('metadata lists no broker yet');
    await kafkajsDescribeCluster(this.port());
  },
};

/** Metadata v1 request for no topics; resolves with the number of brokers in the reply. */
async function kafkaMetadataBrokers(port) {
  const clientId = Buffer.from('services-readiness');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(1, o); // api version 1
  o = body.writeInt32BE(7, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  body.writeInt32BE(0, o); // topics: empty array = none (v1)
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  const reply = await exchange(port, Buffer.concat([size, body]), (b) => 4 + b.readInt32BE(0));
  if (reply.readInt32BE(4) !== 7) throw new Error('metadata reply with a wrong correlation id');
  return reply.readInt32BE(8); // brokers array length
}

/** If the project has kafkajs installed, also check admin.describeCluster() as the tests will. */
async function kafkajsDescribeCluster(port) {
  let kafkajsPath;
  try {
    kafkajsPath = createRequire(path.join(PROJECT, 'package.json')).resolve('kafkajs');
  } catch {
    return; // not installed (yet): the raw metadata request above is the same check
  }
  const { Kafka, logLevel } = (await import(kafkajsPath)).default;
  const admin = new Kafka({
    clientId: 'services-readiness',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length < 1) throw new Error('describeCluster lists no broker');
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// FerretDB 1.24.2 on SQLite

const FERRETDB_VERSION = '1.24.2';
const FERRETDB_SRC = path.join(HERE, 'ferretdb');
const FERRETDB_CACHE = path.join(CACHE, `ferretdb-${FERRETDB_VERSION}`);
const FERRETDB_BIN = path.join(FERRETDB_CACHE, 'ferretdb');

const mongodb = {
  name: 'mongodb',
  marker: 'ferretdb',
  portVars: 'MONGODB_PORT',
  port: () => portFromEnv('MONGODB_PORT', 27017),
  ports() {
    return [this.port()];
  },
  line() {
    return `MONGODB_URL=mongodb://127.0.0.1:${this.port()}/`;
  },

  async prepare() {
    const sources = ['go.mod', 'go.sum', 'main.go'].map((f) => path.join(FERRETDB_SRC, f));
    const stamp = `${FERRETDB_BIN}.sha256`;
    const want = sha256(...sources);
    if (
      fs.existsSync(FERRETDB_BIN) &&
      fs.existsSync(stamp) &&
      fs.readFileSync(stamp, 'utf8') === want
    ) {
      return;
    }
    fs.mkdirSync(FERRETDB_CACHE, { recursive: true });
    const logFile = path.join(FERRETDB_CACHE, 'go-build.log');
    fs.writeFileSync(logFile, '');
    log(
      `building FerretDB ${FERRETDB_VERSION} with Go into ${FERRETDB_BIN} ` +
        '(first run only: downloads modules and compiles pure-Go SQLite, a few minutes)',
    );
    const began = Date.now();
    const partial = `${FERRETDB_BIN}.partial`;
    await run('go', ['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
      cwd: FERRETDB_SRC,
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim(),
      },
      logFile,
      label: 'go build',
    });
    fs.renameSync(partial, FERRETDB_BIN);
    fs.writeFileSync(stamp, want);
    log(`built FerretDB in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  },

  command(dir) {
    return {
      cmd: FERRETDB_BIN,
      args: [
        '-listen',
        `127.0.0.1:${this.port()}`,
        '-sqlite-dir',
        path.join(dir, 'data'),
        '-log-level',
        process.env.FERRETDB_LOG_LEVEL || 'warn',
      ],
      env: {},
    };
  },

  async ready() {
    const reply = await mongoCommand(this.port(), 'ping');
    if (reply.ok !== 1) throw new Error(`ping answered ${JSON.stringify(reply)}`);
  },
};

/** Sends `{ <name>: 1, $db: 'admin' }` as an OP_MSG and returns the reply's top-level numbers. */
async function mongoCommand(port, name) {
  const doc = bson([
    [0x10, name, int32(1)],
    [0x02, '$db', bsonString('admin')],
  ]);
  const header = Buffer.alloc(16);
  const length = 16 + 4 + 1 + doc.length;
  header.writeInt32LE(length, 0);
  header.writeInt32LE(1, 4); // request id
  header.writeInt32LE(0, 8); // response to
  header.writeInt32LE(2013, 12); // OP_MSG
  const msg = Buffer.concat([header, Buffer.alloc(4), Buffer.from([0]), doc]);
  const reply = await exchange(port, msg, (b) => b.readInt32LE(0));
  if (reply.readInt32LE(12) !== 2013 || reply[20] !== 0) throw new Error('unexpected reply opcode');
  return readNumbers(reply.subarray(21));
}

function int32(n) {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
}

function bsonString(s) {
  const bytes = Buffer.from(`${s}\0`);
  return Buffer.concat([int32(bytes.length), bytes]);
}

function bson(elements) {
  const parts = elements.map(([type, key, value]) =>
    Buffer.concat([Buffer.from([type]), Buffer.from(`${key}\0`), value]),
  );
  const body = Buffer.concat([...parts, Buffer.from([0])]);
  return Buffer.concat([int32(4 + body.length), body]);
}

/** The top-level double, int32 and int64 fields of a BSON document (enough to read `ok`). */
function readNumbers(doc) {
  const sizes = { 0x08: 1, 0x07: 12, 0x09: 8, 0x0a: 0, 0x11: 8, 0x13: 16 };
  const result = {};
  let o = 4;
  const end = doc.readInt32LE(0) - 1;
  while (o < end) {
    const type = doc[o];
    const keyEnd = doc.indexOf(0, o + 1);
    const key = doc.toString('utf8', o + 1, keyEnd);
    o = keyEnd + 1;
    if (type === 0x01) {
      result[key] = doc.readDoubleLE(o);
      o += 8;
    } else if (type === 0x10) {
      result[key] = doc.readInt32LE(o);
      o += 4;
    } else if (type === 0x12) {
      result[key] = Number(doc.readBigInt64LE(o));
      o += 8;
    } else if (type === 0x02 || type === 0x0d || type === 0x0e) {
      o += 4 + doc.readInt32LE(o);
    } else if (type === 0x03 || type === 0x04) {
      o += doc.readInt32LE(o);
    } else if (type === 0x05) {
      o += 5 + doc.readInt32LE(o);
    } else if (type in sizes) {
      o += sizes[type];
    } else {
      break; // a type this check does not need
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

const SERVICES = { kafka, mongodb };

async function main(argv) {
  const [action, name, ...rest] = argv;
  if (!['start', 'stop', 'status'].includes(action) || rest.length > 0) {
    if (action === 'help' || action === '--help' || action === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (name !== undefined && !Object.hasOwn(SERVICES, name)) {
    process.stderr.write(`unknown service '${name}'\n${USAGE}\n`);
    return 2;
  }
  const chosen = name === undefined ? Object.values(SERVICES) : [SERVICES[name]];

  if (action === 'status') {
    let allRunning = true;
    for (const service of chosen) {
      const line = status(service);
      if (line === null) allRunning = false;
      else process.stdout.write(`${line}\n`);
    }
    return allRunning ? 0 : 1;
  }

  if (action === 'stop') {
    await Promise.all(chosen.map((service) => stop(service)));
    return 0;
  }

  // start: prepare both first (downloads and builds run side by side), then start in order.
  const began = Date.now();
  try {
    for (const service of chosen) service.ports(); // fail fast on a bad port variable
    await Promise.all(chosen.map((service) => service.prepare()));
    for (const service of chosen) process.stdout.write(`${await start(service)}\n`);
  } catch (e) {
    if (e instanceof Failure) {
      log(`failed: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const names = chosen.map((s) => s.name).join(' and ');
  log(`ready: ${names} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);
