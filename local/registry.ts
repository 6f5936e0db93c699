import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readUnitsManifest, saveUnits, unitsDigest } from '../shared/storage/units-repository.js';
import { loadConfiguredRegistry } from '../shared/units/load.js';

/**
 * Loads the committed unit registry into the local store when the store does not hold exactly those units
 * (first start, or the registry file changed since). The manifest is compared, not the table scanned, so a
 * second start costs one read. Which registry: `loadConfiguredRegistry` (national unless UNITS_FILE or UNITS_PROVINCES in
 * the stack's configuration). Also what `npm run admin -- units load` runs against a deployed store. True when it loaded.
 */
export async function ensureRegistry(
  doc: DynamoDBDocumentClient,
  recordsTable: string,
  log: (line: string) => void,
  config: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const registry = loadConfiguredRegistry(config);
  const units = registry.all();
  const manifest = await readUnitsManifest(doc, recordsTable);
  if (manifest?.digest === unitsDigest(units)) return false;
  log(`loading the unit registry (${units.length.toLocaleString('en')} units)…`);
  await saveUnits(doc, recordsTable, units, registry);
  return true;
}
