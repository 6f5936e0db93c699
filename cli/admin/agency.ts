/**
 * `npm run admin -- agency …`: the agency registry (who may publish, for which units, with which keys).
 *   add --id <id> --name <name> --jurisdiction <code>[,<code>…] --public-key <ed25519-spki.pem>
 *   add-key --id <id> --public-key <pem>          rotation: add the new key, switch, then revoke the old one
 *   revoke-key --id <id> --kid <thumbprint>       tokens signed with it are refused from now on
 *   suspend --id <id> / reinstate --id <id>       every request of a suspended agency is refused (401)
 *   list [--json]                                 every agency
 *   show <id> [--json]                            one agency with its keys
 * The store comes from the environment (cli/admin.ts sets it up); jurisdiction codes are resolved through the
 * unit registry of that store (a district abolished in 2025, such as Đống Đa `006`, still resolves).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AgencyRegistry } from '../../shared/agencies/ports.js';
import type { Agency, AgencyKey } from '../../shared/agencies/schemas.js';
import { addAgencyKey, registerAgency, revokeAgencyKey, setAgencyStatus } from '../../shared/agencies/service.js';
import { NotFoundError } from '../../shared/errors.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoUnitLookup, readUnitsManifest } from '../../shared/storage/units-repository.js';
import { loadRegistryFile } from '../../shared/units/load.js';
import type { UnitLookup } from '../../shared/units/ports.js';
import { RegistryUnitLookup } from '../../shared/units/registry-lookup.js';
import { UsageError } from '../lib/usage.js';

export const AGENCY_USAGE = [
  'usage: npm run admin -- agency add --id <id> --name <name> --jurisdiction <code>[,<code>…] --public-key <ed25519-spki.pem>',
  '       npm run admin -- agency add-key --id <id> --public-key <ed25519-spki.pem>',
  '       npm run admin -- agency revoke-key --id <id> --kid <thumbprint>',
  '       npm run admin -- agency suspend --id <id>',
  '       npm run admin -- agency reinstate --id <id>',
  '       npm run admin -- agency list [--json]',
  '       npm run admin -- agency show <id> [--json]',
].join('\n');

/** Wrong arguments: the dispatcher prints the message and the usage, and exits with 2. */
export class AgencyUsageError extends UsageError {
  constructor(message: string) {
    super(message, AGENCY_USAGE);
  }
}

export interface AgencyCliContext {
  readonly agencies: AgencyRegistry;
  readonly units: UnitLookup;
  readonly out: (line: string) => void;
  readonly warn: (line: string) => void;
  readonly now?: () => Date;
}

/** The context from the environment: the records table, and its unit registry (or the committed one). */
export async function agencyContextFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AgencyCliContext> {
  const table = env.RECORDS_TABLE;
  if (!table) throw new Error('RECORDS_TABLE is not set');
  const doc = createDocumentClient(createDynamoClient(env));
  const warn = (line: string) => console.error(line);
  // A store without an imported registry (a fresh AWS deployment) still resolves codes, from the committed file.
  let units: UnitLookup = new DynamoUnitLookup(doc, table);
  if (!(await readUnitsManifest(doc, table))) {
    warn('warning: the store has no unit registry loaded; resolving codes with the committed registry');
    units = new RegistryUnitLookup(loadRegistryFile());
  }
  return { agencies: new DynamoAgencyRepository(doc, table), units, out: (line) => console.log(line), warn };
}

/**
 * Runs one `agency` sub-command.
 * @example await runAgency(['add', '--id', 'hanoi-dktcv', '--name', 'Đoàn Kiểm tra công vụ TP Hà Nội', '--jurisdiction', '01', '--public-key', 'hanoi.pub.pem'])
 */
export async function runAgency(args: readonly string[], context?: AgencyCliContext): Promise<void> {
  const rest = args[0] === 'agency' ? args.slice(1) : [...args];
  const [command, ...options] = rest;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (context?.out ?? console.log)(AGENCY_USAGE);
    return;
  }
  const ctx = context ?? (await agencyContextFromEnv());
  switch (command) {
    case 'add':
      return add(options, ctx);
    case 'add-key':
      return addKey(options, ctx);
    case 'revoke-key':
      return revokeKey(options, ctx);
    case 'suspend':
      return changeStatus(options, 'suspended', ctx);
    case 'reinstate':
      return changeStatus(options, 'active', ctx);
    case 'list':
      return list(options, ctx);
    case 'show':
      return show(options, ctx);
    default:
      throw new AgencyUsageError(`unknown agency command "${command}"`);
  }
}

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(
  args: readonly string[],
  options: T,
  positionals = 0,
) {
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals)
      throw new Error(`unexpected argument "${parsed.positionals[positionals]}"`);
    return parsed;
  } catch (error) {
    throw new AgencyUsageError((error as Error).message);
  }
}

function required(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AgencyUsageError(`--${name} is required`);
  return value;
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AgencyUsageError(`cannot read the public key ${path}: ${code === 'ENOENT' ? 'file not found' : code}`);
  }
}

async function add(args: readonly string[], ctx: AgencyCliContext): Promise<void> {
  const { values } = parse(args, {
    id: { type: 'string' },
    name: { type: 'string' },
    jurisdiction: { type: 'string' },
    'public-key': { type: 'string' },
  });
  const publicKeyPem = readPem(required(values['public-key'], 'public-key'));
  const { agency, key, created } = await registerAgency(
    {
      id: required(values.id, 'id'),
      name: required(values.name, 'name'),
      jurisdiction: required(values.jurisdiction, 'jurisdiction').split(','),
      publicKeyPem,
    },
    { agencies: ctx.agencies, units: ctx.units, ...(ctx.now ? { now: ctx.now } : {}) },
  );
  ctx.out(
    `${created ? 'registered' : 'already registered'} agency ${agency.id} (${agency.name}); jurisdiction ${describeJurisdiction(agency)}; key ${key.thumbprint} ${key.status}`,
  );
}

async function addKey(args: readonly string[], ctx: AgencyCliContext): Promise<void> {
  const { values } = parse(args, { id: { type: 'string' }, 'public-key': { type: 'string' } });
  const key = await addAgencyKey(required(values.id, 'id'), readPem(required(values['public-key'], 'public-key')), ctx);
  ctx.out(`agency ${key.agencyId}: key ${key.thumbprint} ${key.status}`);
}

async function revokeKey(args: readonly string[], ctx: AgencyCliContext): Promise<void> {
  const { values } = parse(args, { id: { type: 'string' }, kid: { type: 'string' } });
  const key = await revokeAgencyKey(required(values.id, 'id'), required(values.kid, 'kid'), ctx);
  ctx.out(`agency ${key.agencyId}: key ${key.thumbprint} revoked at ${key.revokedAt}`);
}

async function changeStatus(args: readonly string[], status: Agency['status'], ctx: AgencyCliContext): Promise<void> {
  const { values } = parse(args, { id: { type: 'string' } });
  const agency = await setAgencyStatus(required(values.id, 'id'), status, ctx);
  ctx.out(`agency ${agency.id}: ${agency.status} since ${agency.statusChangedAt}`);
}

async function list(args: readonly string[], ctx: AgencyCliContext): Promise<void> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const agencies = await ctx.agencies.list();
  if (values.json) {
    ctx.out(JSON.stringify(agencies, null, 2));
    return;
  }
  if (agencies.length === 0) ctx.out('no agencies');
  for (const agency of agencies)
    ctx.out(`${agency.id}\t${agency.status}\t${describeJurisdiction(agency)}\t${agency.name}`);
}

async function show(args: readonly string[], ctx: AgencyCliContext): Promise<void> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  const id = required(positionals[0], 'id (as the argument)');
  const found = await ctx.agencies.find(id);
  if (!found) throw new NotFoundError(`No agency "${id}".`);
  if (values.json) {
    ctx.out(JSON.stringify(found, null, 2));
    return;
  }
  ctx.out(`${found.agency.id}\t${found.agency.status}\t${describeJurisdiction(found.agency)}\t${found.agency.name}`);
  for (const key of found.keys) ctx.out(`  key ${key.thumbprint}\t${key.status}\t${describeKey(key)}`);
}

function describeJurisdiction(agency: Agency): string {
  return agency.jurisdiction
    .map((code, index) =>
      agency.jurisdictionUnitIds[index] === code ? code : `${code}→${agency.jurisdictionUnitIds[index]}`,
    )
    .join(',');
}

function describeKey(key: AgencyKey): string {
  return key.revokedAt ? `added ${key.createdAt}, revoked ${key.revokedAt}` : `added ${key.createdAt}`;
}
