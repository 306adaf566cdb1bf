/**
 * Checks Kafka messages against the shipped contract (contracts/asyncapi.json and the JSON
 * Schemas it references) with Ajv in draft 2020-12 mode: the message of the document whose
 * ce_type header matches, its headers schema, its key schema, and the payload schema file.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTRACTS = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'contracts',
);

/** A message as read from the topic, headers decoded as UTF-8. */
export interface WireMessage {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

interface MessageCheck {
  readonly id: string;
  readonly schemaFile: string;
  readonly headers: ValidateFunction;
  readonly key: ValidateFunction;
  readonly payload: ValidateFunction;
}

export function readContractJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(CONTRACTS, path), 'utf8')) as Record<string, unknown>;
}

export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS: its module object is the plugin, with itself as `default`.
  addFormats.default(ajv, { mode: 'full' });
  return ajv;
}

/** The messages of the AsyncAPI document, compiled; keyed by their ce_type. */
export class ContractValidator {
  private readonly byType = new Map<string, MessageCheck>();
  readonly document: Json;

  constructor() {
    const ajv = newAjv();
    this.document = readContractJson('asyncapi.json') as Json;
    const messages = this.document.components.messages as Record<string, Json>;
    for (const [id, message] of Object.entries(messages)) {
      const ceType = message.headers.properties.ce_type.const as string;
      const ref = message.payload.schema.$ref as string;
      const schemaFile = ref.replace(/^\.\//, '');
      this.byType.set(ceType, {
        id,
        schemaFile,
        headers: ajv.compile(message.headers),
        key: ajv.compile(message.bindings.kafka.key),
        payload: ajv.compile(readContractJson(schemaFile)),
      });
    }
  }

  get types(): string[] {
    return [...this.byType.keys()];
  }

  /** What is wrong with the message (empty: it follows the contract). */
  problems(message: WireMessage): string[] {
    const ceType = message.headers.ce_type;
    const check = ceType === undefined ? undefined : this.byType.get(ceType);
    if (!check) return [`no message of the contract has ce_type ${String(ceType)}`];
    const problems: string[] = [];
    const version = /\.v(\d+)$/.exec(ceType ?? '')?.[1];
    if (!check.schemaFile.endsWith(`.v${version ?? '?'}.json`)) {
      problems.push(`${ceType ?? ''} is described by ${check.schemaFile}: versions differ`);
    }
    if (!check.headers(message.headers)) problems.push(`headers: ${describe(check.headers)}`);
    if (!check.key(message.key)) problems.push(`key: ${describe(check.key)}`);
    if (message.key !== message.headers.ce_subject) problems.push('key differs from ce_subject');
    let value: unknown;
    try {
      value = JSON.parse(message.value ?? '');
    } catch {
      problems.push('value is not JSON');
      return problems;
    }
    if (!check.payload(value)) problems.push(`value: ${describe(check.payload)}`);
    return problems;
  }
}

function describe(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('; ');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON documents
type Json = any;
