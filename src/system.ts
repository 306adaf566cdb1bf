import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from './event-sourcing/clock.js';

/*
 * What the composition root takes from the machine: the clock, new ids and this replica's name.
 * The kernel, the domain and the projections get these as arguments (lint keeps them out).
 */

export const systemClock: Clock = { now: () => new Date() };

/** A fresh random id (event ids, ids of generated grants, reports and notices). */
export const newId = (): string => randomUUID();

/** Host, process and a random suffix: unique among the replicas sharing a read store. */
export function replicaName(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}
