import { MongoServerError } from 'mongodb';

/** Server error codes this project handles (MongoDB's `error_codes.yml`). */
export const NAMESPACE_NOT_FOUND = 26;
export const NAMESPACE_EXISTS = 48;
export const MAX_TIME_MS_EXPIRED = 50;
export const DUPLICATE_KEY = 11000;

export function hasCode(error: unknown, code: number): boolean {
  return error instanceof MongoServerError && error.code === code;
}
