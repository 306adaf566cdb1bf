import type {
  Projection,
  ProjectionDocument,
} from '../src/event-sourcing/projection/projection.js';
import type { Divisions } from '../src/divisions/divisions.js';
import type {
  FunderLevel,
  FundingChannel,
} from '../src/organizations/domain/organization.types.js';
import { CITY, domainEvent, handled, organizationId, yearOf } from './projected-events.js';

/**
 * Funding disclosure: one public row per grant (compare 360Giving's grant fields) and, in the
 * rollups `totals:<city, district, street or community>`, amounts in fen by `channel|year` and counts by `count|channel|year`.
 * The recipient's name and place are kept in `org:<id>` documents so each grant row carries them.
 */
export type FundingDocument = Recipient | GrantRow;

export interface Recipient extends ProjectionDocument {
  readonly kind: 'recipient';
  readonly name: string;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string | null;
}

export interface GrantRow extends ProjectionDocument {
  readonly kind: 'grant';
  readonly organizationId: string;
  readonly recipientName: string;
  readonly amountFen: number;
  readonly currency: 'CNY';
  readonly grantedOn: string;
  readonly year: string;
  readonly channel: FundingChannel;
  readonly purpose: string | null;
  /** What an `other-welfare` purpose is. */
  readonly purposeDescription: string | null;
  readonly programme: string;
  readonly funderName: string;
  readonly funderLevel: FunderLevel;
  readonly funderCode: string;
  readonly districtCode: string;
  readonly districtName: string;
  readonly streetCode: string;
  readonly communityCode: string | null;
}

export const recipientId = (organization: string): string => `org:${organization}`;
export const grantRowId = (grant: string): string => `grant:${grant}`;
export const fundingTotalsRollup = (code: string): string => `totals:${code}`;

export function fundingProjection(divisions: Divisions): Projection<FundingDocument> {
  return {
    name: 'funding',
    // 2: totals for streets and communities too. 3: grant rows carry purposeDescription.
    version: 3,
    // A rename or a move changes the recipient of later grants; a grant stays where and to whom
    // it was made.
    handles: handled(
      'OrganizationRegistered',
      'FundingGranted',
      'OrganizationRenamed',
      'OrganizationMoved',
    ),
    // Each filter then the newest-first order grants are paged in and the id that breaks ties
    // (ascending); the channel is a residual filter (four values).
    indexes: [
      ['kind', ['grantedOn', -1], 'id'],
      ['organizationId', ['grantedOn', -1], 'id'],
      ['districtCode', ['grantedOn', -1], 'id'],
      ['year', ['grantedOn', -1], 'id'],
    ],
    // The residual filter, declared so that it is read off the row, not the document.
    fields: ['channel'],
    ids: (stored) => {
      const event = domainEvent(stored);
      return event.type === 'FundingGranted'
        ? [grantRowId(event.data.grantId)]
        : [recipientId(organizationId(stored))];
    },
    reads: (stored) =>
      stored.type === 'FundingGranted' ? [recipientId(organizationId(stored))] : [],
    evolve: (doc, stored, context) => {
      const event = domainEvent(stored);
      if (event.type === 'OrganizationRegistered') {
        const d = event.data;
        return {
          id: recipientId(d.organizationId),
          kind: 'recipient',
          name: d.name,
          districtCode: d.districtCode,
          streetCode: d.streetCode,
          communityCode: d.communityCode ?? null,
        };
      }
      if (event.type === 'OrganizationRenamed')
        return doc?.kind === 'recipient' ? { ...doc, name: event.data.name } : doc;
      if (event.type === 'OrganizationMoved') {
        if (doc?.kind !== 'recipient') return doc;
        const d = event.data;
        return {
          ...doc,
          districtCode: d.districtCode,
          streetCode: d.streetCode,
          communityCode: d.communityCode ?? null,
        };
      }
      if (event.type !== 'FundingGranted' || doc !== null) return doc;
      const recipient = context.get(recipientId(event.data.organizationId));
      if (recipient?.kind !== 'recipient') return null;
      const d = event.data;
      return {
        id: grantRowId(d.grantId),
        kind: 'grant',
        organizationId: d.organizationId,
        recipientName: recipient.name,
        amountFen: d.amountFen,
        currency: d.currency,
        grantedOn: d.grantedOn,
        year: yearOf(d.grantedOn),
        channel: d.channel,
        purpose: d.purpose ?? null,
        purposeDescription: d.purposeDescription ?? null,
        programme: d.programme,
        funderName: d.funder.name,
        funderLevel: d.funder.level,
        funderCode: d.funder.code,
        districtCode: recipient.districtCode,
        districtName: divisions.district(recipient.districtCode)?.name ?? recipient.districtCode,
        streetCode: recipient.streetCode,
        communityCode: recipient.communityCode,
      };
    },
    rollup: (doc) => {
      if (doc.kind !== 'grant') return [];
      const places = [
        CITY,
        doc.districtCode,
        doc.streetCode,
        ...(doc.communityCode === null ? [] : [doc.communityCode]),
      ];
      return places.flatMap((place) => [
        {
          id: fundingTotalsRollup(place),
          key: `${doc.channel}|${doc.year}`,
          amount: doc.amountFen,
        },
        { id: fundingTotalsRollup(place), key: `count|${doc.channel}|${doc.year}`, amount: 1 },
      ]);
    },
  };
}
