import type { Decider } from '../../event-sourcing/decider.js';
import { refuse } from '../../event-sourcing/domain-error.js';
import { CLAIM_FIELDS, type ClaimKind, type UniqueClaim } from './unique-claims.js';

/**
 * A name, a USCC or a filing number belongs to one live organization of its area. An
 * organization's own stream cannot see its neighbours, so each (kind, area, normalized value)
 * has a small reservation stream (claimStream); optimistic concurrency on it lets exactly one
 * of two racing claimants win.
 */
export type UniqueClaimEvent =
  | {
      readonly type: 'UniqueClaimTaken';
      readonly data: UniqueClaim & { readonly organizationId: string };
    }
  | {
      readonly type: 'UniqueClaimReleased';
      readonly data: UniqueClaim & { readonly organizationId: string };
    };

export type UniqueClaimCommand =
  | {
      readonly type: 'TakeClaim';
      readonly claim: UniqueClaim;
      readonly organizationId: string;
      /**
       * Whether the current holder still holds it: a live organization whose state claims it, or
       * whose command is still in flight. A holder that was dissolved, moved to another area or
       * tier, or whose registration never completed no longer holds it.
       */
      readonly holderStillHolds: boolean;
    }
  | {
      readonly type: 'ReleaseClaim';
      readonly claim: UniqueClaim;
      readonly organizationId: string;
    };

export interface UniqueClaimState {
  readonly holder?: string;
}

const TAKEN_RULES: Record<ClaimKind, string> = {
  name: 'name-taken',
  uscc: 'uscc-taken',
  'filing-number': 'filing-number-taken',
};

const WHAT: Record<ClaimKind, (claim: UniqueClaim) => string> = {
  name: (c) =>
    `Within ${c.scope} a live organization under the same authority is already named ${c.value}`,
  uscc: (c) => `The USCC ${c.value} belongs to another live organization`,
  'filing-number': (c) =>
    `Within street ${c.scope} a live team already has filing number ${c.value}`,
};

export const uniqueClaimDecider: Decider<UniqueClaimCommand, UniqueClaimEvent, UniqueClaimState> = {
  initialState: {},
  evolve: (_state, event) =>
    event.type === 'UniqueClaimTaken' ? { holder: event.data.organizationId } : {},
  decide: (command, state) => {
    const { kind, scope, value } = command.claim;
    const data = { kind, scope, value, organizationId: command.organizationId };
    if (command.type === 'ReleaseClaim') {
      return state.holder === command.organizationId ? [{ type: 'UniqueClaimReleased', data }] : [];
    }
    if (state.holder === command.organizationId) return [];
    if (state.holder !== undefined && command.holderStillHolds) {
      throw refuse(TAKEN_RULES[kind], WHAT[kind](command.claim), CLAIM_FIELDS[kind]);
    }
    return [{ type: 'UniqueClaimTaken', data }];
  },
};
