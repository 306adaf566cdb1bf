import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Host, process and a random suffix: unique among the replicas sharing a read store. */
export function replicaName(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}
