import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadAssets, type Asset } from '../dashboard/dashboard-assets.js';
import { projectRoot } from '../divisions/load-divisions.js';
import { workbenchLabels } from './workbench-labels.js';

/** oauth4webapi's browser build (one ES module, no imports), resolved from node_modules. */
export function oauthBundle(): string {
  return createRequire(import.meta.url).resolve('oauth4webapi');
}

/** The workbench's files (`workbench/` at the project root), oauth4webapi, and its labels. */
export function loadWorkbenchAssets(
  folder = join(projectRoot(), 'workbench'),
): ReadonlyMap<string, Asset> {
  return loadAssets(
    folder,
    { 'oauth4webapi.js': oauthBundle() },
    { 'labels.json': JSON.stringify(workbenchLabels()) },
  );
}
