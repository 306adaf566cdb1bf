/**
 * The files of the topic's contract, shipped in `contracts/`: the AsyncAPI document and one JSON
 * Schema per event type. Generated from the code (write-contracts.ts); a test checks that the
 * committed files equal this output.
 */
import { asyncApiDocument } from './asyncapi.js';
import {
  eventValueSchema,
  ORGANIZATION_EVENT_TYPES,
  schemaFileName,
  type JsonSchema,
} from './event-schemas.js';

/** The folder, relative to the project root. */
export const CONTRACTS_DIR = 'contracts';
export const ASYNCAPI_FILE = 'asyncapi.json';
export const SCHEMAS_DIR = 'schemas';

/** Path inside `contracts/` → document. */
export function contractFiles(): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>([[ASYNCAPI_FILE, asyncApiDocument()]]);
  for (const type of ORGANIZATION_EVENT_TYPES) {
    files.set(`${SCHEMAS_DIR}/${schemaFileName(type)}`, eventValueSchema(type));
  }
  return files;
}
