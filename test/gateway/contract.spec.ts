import {
  LOG_START,
  positionFromJson,
  type EventStore,
} from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * The topic's contract (issue #5): contracts/asyncapi.json and contracts/schemas/*.json are what
 * the generator in src/gateway/contract writes, a valid AsyncAPI 3.0 document, strict JSON
 * Schemas (draft 2020-12), and every integration message the real command path produces
 * follows them — while a leaked contact, a founder's name, a float amount or a bad date do not.
 * No broker: the messages are built by the gateway's own mapping (toIntegrationMessage).
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import { contractFiles } from '../../src/gateway/contract/contract-files.js';
import {
  ceType,
  isIntegrationEvent,
  toIntegrationMessage,
} from '../../src/gateway/integration-event.js';
import { ORGANIZATION_EVENT_TYPES } from '../../src/gateway/contract/event-schemas.js';
import { publishedVersion } from '../../src/gateway/integration-event.js';
import { DEFAULT_ACTIVITY_LEVEL_THRESHOLDS } from '../../src/organizations/domain/rules/activity-level.js';
import type { OutgoingMessage } from '../../src/event-sourcing/ports/publisher.port.js';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import { seedPlan } from '../../src/seed/seed-plan.js';
import { runSeed } from '../../src/seed/seed-runner.js';
import type { Json } from '../support/http-app.js';
import { CONTRACTS, ContractValidator, newAjv, readContractJson } from './support/contract.js';
import { ALL_PERSONAL_VALUES, openWorkloadTarget, runWorkload } from './support/workload.js';
import { openTestSeedTarget } from '../support/seed-target.js';

const validator = new ContractValidator();

const problemsOf = (message: OutgoingMessage): string[] =>
  validator.problems({ key: message.key, value: message.value, headers: message.headers });

async function allEvents(store: Pick<EventStore, 'readAll'>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({
      fromPosition: events.at(-1)?.position ?? LOG_START,
      maxCount: 1000,
    });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

describe('the committed contract files', () => {
  it('are exactly what the generator writes (run write-contracts.js after changing an event)', () => {
    const generated = contractFiles();
    for (const [name, document] of generated) {
      expect({ name, document: readContractJson(name) }).toEqual({ name, document });
    }
    const shipped = readdirSync(join(CONTRACTS, 'schemas')).map((f) => `schemas/${f}`);
    expect(shipped.sort()).toEqual(
      [...generated.keys()].filter((n) => n.startsWith('schemas/')).sort(),
    );
  });

  it('hold a valid AsyncAPI 3.0.0 document (the official JSON Schema of @asyncapi/specs)', () => {
    const require = createRequire(import.meta.url);
    const specFile = require.resolve('@asyncapi/specs/schemas/3.0.0-without-$id.json');
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(spec);
    const valid = validate(readContractJson('asyncapi.json'));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('describe the topic: one channel, one message per event type with headers, key and payload', () => {
    const doc = validator.document;
    expect(doc.asyncapi).toBe('3.0.0');
    const [channel, ...others] = Object.values(
      doc.channels as Record<string, Record<string, unknown>>,
    );
    expect(others).toHaveLength(0);
    expect(channel?.address).toBe('community-orgs.events');
    expect(Object.keys(doc.components.messages as object)).toHaveLength(
      ORGANIZATION_EVENT_TYPES.length,
    );
    for (const type of ORGANIZATION_EVENT_TYPES) {
      const version = publishedVersion(type);
      const message = doc.components.messages[`${type}.v${version}`];
      expect(message.headers.properties.ce_type.const).toBe(ceType(type, version));
      expect(message.headers.required as string[]).toEqual(
        expect.arrayContaining([
          'ce_specversion',
          'ce_id',
          'ce_source',
          'ce_type',
          'ce_subject',
          'ce_time',
        ]),
      );
      expect(message.bindings.kafka.key).toMatchObject({ type: 'string', format: 'uuid' });
      expect(message.payload.schema.$ref).toBe(`./schemas/${type}.v${version}.json`);
    }
    expect(validator.types.sort()).toEqual(
      ORGANIZATION_EVENT_TYPES.map((t) => ceType(t, publishedVersion(t))).sort(),
    );
  });

  it('hold strict draft 2020-12 schemas: closed objects, integer amounts, formatted dates', () => {
    const ajv = newAjv();
    for (const type of ORGANIZATION_EVENT_TYPES) {
      const schema = readContractJson(`schemas/${type}.v${publishedVersion(type)}.json`) as Record<
        string,
        Json
      >;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(() => ajv.compile(schema)).not.toThrow();
      // Every object, nested ones included, refuses unknown fields.
      const objects: Record<string, Json>[] = [];
      const walk = (node: unknown): void => {
        if (node === null || typeof node !== 'object') return;
        const record = node as Record<string, Json>;
        if (record.type === 'object') objects.push(record);
        Object.values(record).forEach(walk);
      };
      walk(schema);
      for (const object of objects) expect(object.additionalProperties).toBe(false);
      for (const [name, property] of Object.entries(schema.properties as Record<string, Json>)) {
        if (/On$/.test(name))
          expect({ name, format: property.format }).toEqual({ name, format: 'date' });
        if (/Fen$|^participants$/.test(name))
          expect({ name, type: property.type }).toEqual({ name, type: 'integer' });
      }
      expect(schema.properties).not.toHaveProperty('contact');
    }
  });
});

describe('messages of the real command path', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-contract-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('of the gateway test workload (all 20 types, personal data included) follow the contract', async () => {
    const target = openWorkloadTarget(join(dir, 'workload'));
    try {
      await runWorkload(target.writer);
      const messages = (await allEvents(target.store))
        .filter(isIntegrationEvent)
        .map(toIntegrationMessage);
      expect(messages.length).toBeGreaterThan(200);
      const types = new Set(messages.map((m) => m.headers.ce_type));
      expect([...types].sort()).toEqual(validator.types.sort());
      for (const message of messages) {
        expect({ type: message.headers.ce_type, problems: problemsOf(message) }).toEqual({
          type: message.headers.ce_type,
          problems: [],
        });
        const wire = `${message.key}${message.value}${JSON.stringify(message.headers)}`;
        for (const secret of ALL_PERSONAL_VALUES) expect(wire).not.toContain(secret);
      }
    } finally {
      await target.close();
    }
  });

  it('of the small seed (thousands of realistic events) follow the contract', async () => {
    const divisions = loadDivisions();
    const target = openTestSeedTarget(join(dir, 'seed'), {
      divisions,
      activityLevels: DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
      teamsInSpecialUnits: true,
      governmentPurchaseRequiresRegistered: true,
      maxGrantFen: 1_000_000_000,
    });
    try {
      const result = await runSeed(seedPlan(divisions, { scale: 'small', seed: 1 }), target);
      expect(result.refused).toEqual([]);
      const messages = (await allEvents(target.store))
        .filter(isIntegrationEvent)
        .map(toIntegrationMessage);
      expect(messages.length).toBeGreaterThan(3000);
      const failing = messages
        .map((m) => ({ type: m.headers.ce_type, problems: problemsOf(m) }))
        .filter((r) => r.problems.length > 0);
      expect(failing.slice(0, 5)).toEqual([]);
    } finally {
      await target.close();
    }
  }, 60_000);
});

describe('stored events of an older schema version are published in the current one', () => {
  const organizationId = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a10';
  const stored = (type: string, position: number, data: Record<string, unknown>) =>
    toIntegrationMessage({
      id: `7d0b2a5e-1f7c-4a7e-8e1d-3c5b9a0f4e2${String(position)}`,
      streamId: `organization-${organizationId}`,
      revision: position,
      position: positionFromJson(position),
      type,
      data: { organizationId, ...data },
      metadata: { schemaVersion: 1, recordedAt: '2026-01-15T02:00:00.000Z' },
    });

  it('a v1 appraisal graded A is published as v2 excellent, following the contract', () => {
    const message = stored('EvaluationRecorded', 1, {
      period: '2025',
      evaluator: 'residents',
      grade: 'A',
      evaluatedOn: '2026-01-10',
    });
    expect(message.headers.ce_type).toBe(ceType('EvaluationRecorded', 2));
    expect(JSON.parse(message.value)).toMatchObject({ grade: 'excellent' });
    expect(problemsOf(message)).toEqual([]);
  });

  it('a v1 dissolution without a kind is published as v2 deregistered, following the contract', () => {
    const message = stored('OrganizationDissolved', 2, {
      reason: '成员自愿解散',
      dissolvedOn: '2026-01-10',
    });
    expect(message.headers.ce_type).toBe(ceType('OrganizationDissolved', 2));
    expect(JSON.parse(message.value)).toEqual({
      organizationId,
      reason: '成员自愿解散',
      dissolvedOn: '2026-01-10',
      kind: 'deregistered',
    });
    expect(problemsOf(message)).toEqual([]);
  });
});

describe('a message that breaks the contract is refused', () => {
  const organizationId = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a10';
  const registered = (data: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const message = toIntegrationMessage({
      id: '7d0b2a5e-1f7c-4a7e-8e1d-3c5b9a0f4e21',
      streamId: `organization-${organizationId}`,
      revision: 0,
      position: positionFromJson(1),
      type: 'OrganizationRegistered',
      data,
      metadata: { schemaVersion: 1, recordedAt: '2026-01-15T02:00:00.000Z' },
    });
    return { ...message, headers: { ...message.headers, ...headers } };
  };
  const valid = {
    organizationId,
    name: '上海新村书画小组',
    category: 'culture-sports',
    tier: 'group',
    districtCode: '310104',
    streetCode: '310104003',
    communityCode: '310104003001',
    foundedOn: '2020-03-01',
    registeredOn: '2026-01-15',
    founders: [{ kind: 'resident', name: '张三' }],
  };

  it('accepts the valid one (the founder name is dropped by the gateway)', () => {
    expect(problemsOf(registered(valid))).toEqual([]);
  });

  it('refuses a contact or a founder name in the value', () => {
    const leaked = registered(valid);
    const value = JSON.parse(leaked.value) as Record<string, unknown>;
    const withContact = {
      ...leaked,
      value: JSON.stringify({ ...value, contact: { name: '王阿姨', phone: '13800138000' } }),
    };
    expect(problemsOf(withContact).join()).toMatch(/additional/);
    const withFounderName = {
      ...leaked,
      value: JSON.stringify({ ...value, founders: [{ kind: 'resident', name: '张三' }] }),
    };
    expect(problemsOf(withFounderName).join()).toMatch(/additional/);
  });

  it('refuses a float amount, an impossible date, an unknown enum value', () => {
    const grant = (data: Record<string, unknown>) => ({
      key: organizationId,
      value: JSON.stringify({
        organizationId,
        grantId: 'a3f1c7d2-4b5e-4f60-8a71-92b3c4d5e6f7',
        channel: 'subsidy',
        amountFen: 100,
        currency: 'CNY',
        grantedOn: '2025-06-01',
        funder: { name: '徐汇区民政局', level: 'district', code: '310104' },
        programme: '社区服务项目',
        ...data,
      }),
      headers: { ...registered(valid).headers, ce_type: ceType('FundingGranted', 1) },
    });
    expect(problemsOf(grant({}))).toEqual([]);
    expect(problemsOf(grant({ amountFen: 1.5 })).join()).toMatch(/integer/);
    expect(problemsOf(grant({ grantedOn: '2025-02-30' })).join()).toMatch(/format/);
    expect(problemsOf(grant({ channel: 'lottery' })).join()).toMatch(/allowed values/);
  });

  it('refuses missing or malformed headers and an unknown schema version', () => {
    const { ce_time: _time, ...withoutTime } = registered(valid).headers;
    expect(problemsOf({ ...registered(valid), headers: withoutTime }).join()).toMatch(/ce_time/);
    expect(problemsOf(registered(valid, { ce_time: 'yesterday' })).join()).toMatch(/format/);
    expect(problemsOf(registered(valid, { revision: '-1' })).join()).toMatch(/pattern/);
    expect(
      problemsOf(
        registered(valid, {
          ce_type: ceType('OrganizationRegistered', publishedVersion('OrganizationRegistered') + 1),
        }),
      ).join(),
    ).toMatch(/no message of the contract/);
    expect(
      problemsOf({ ...registered(valid), key: '2f0c0d3e-0000-4000-8000-000000000000' }).join(),
    ).toMatch(/key differs/);
  });
});
