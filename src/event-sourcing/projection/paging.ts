import type { Document } from '../ports/read-store.port.js';
import { POSITION_FIELD } from './projection-target.js';

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}

/** The stored document without the runner's bookkeeping. */
export function publicDocument(doc: Document): Record<string, unknown> {
  const { [POSITION_FIELD]: _position, ...rest } = doc;
  return rest;
}
