import { createHash } from 'node:crypto';
import type { Decider } from '../../event-sourcing/decider.js';
import { refuse } from '../../event-sourcing/domain-error.js';
import { normalizeName } from './rules/organization-name.js';

/**
 * Names are unique among the live organizations of a district. An organization's own stream
 * cannot see its neighbours, so each (district, normalized name) has a small reservation stream;
 * optimistic concurrency on it lets exactly one of two racing registrations win.
 */
export type NameReservationEvent =
  | {
      readonly type: 'OrganizationNameReserved';
      readonly data: {
        readonly districtCode: string;
        readonly name: string;
        readonly organizationId: string;
      };
    }
  | {
      readonly type: 'OrganizationNameReleased';
      readonly data: {
        readonly districtCode: string;
        readonly name: string;
        readonly organizationId: string;
      };
    };

export type NameReservationCommand =
  | {
      readonly type: 'ReserveName';
      readonly districtCode: string;
      readonly name: string;
      readonly organizationId: string;
      /**
       * Whether the current holder is a live organization; a holder that was dissolved or whose
       * registration never completed no longer holds the name.
       */
      readonly holderIsLive: boolean;
    }
  | {
      readonly type: 'ReleaseName';
      readonly districtCode: string;
      readonly name: string;
      readonly organizationId: string;
    };

export interface NameReservationState {
  readonly holder?: string;
}

export const nameReservationDecider: Decider<
  NameReservationCommand,
  NameReservationEvent,
  NameReservationState
> = {
  initialState: {},
  evolve: (state, event) =>
    event.type === 'OrganizationNameReserved' ? { holder: event.data.organizationId } : {},
  decide: (command, state) => {
    const data = {
      districtCode: command.districtCode,
      name: command.name,
      organizationId: command.organizationId,
    };
    if (command.type === 'ReleaseName') {
      return state.holder === command.organizationId
        ? [{ type: 'OrganizationNameReleased', data }]
        : [];
    }
    if (state.holder === command.organizationId) return [];
    if (state.holder !== undefined && command.holderIsLive) {
      throw refuse(
        'name-taken',
        `A live organization of district ${command.districtCode} is already named ${command.name}`,
        'name',
      );
    }
    return [{ type: 'OrganizationNameReserved', data }];
  },
};

export function nameReservationStream(districtCode: string, name: string): string {
  const digest = createHash('sha256').update(normalizeName(name)).digest('hex').slice(0, 32);
  return `organization-name-${districtCode}-${digest}`;
}
