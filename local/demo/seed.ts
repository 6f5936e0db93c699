import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { surveySecretsFromEnv } from '../../functions/surveys/secrets.js';
import { registerAgency } from '../../shared/agencies/service.js';
import { ConclusionInputSchema } from '../../shared/conclusions/schemas.js';
import { createConclusion } from '../../shared/conclusions/service.js';
import { ReportInputSchema } from '../../shared/reports/schemas.js';
import { fileReport } from '../../shared/reports/service.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { DynamoConclusionStore } from '../../shared/storage/conclusions-repository.js';
import { DynamoReportStore } from '../../shared/storage/reports-repository.js';
import { DynamoSurveyStore } from '../../shared/storage/surveys-repository.js';
import { loadRegistryFile } from '../../shared/units/load.js';
import type { UnitLookup } from '../../shared/units/ports.js';
import { RegistryUnitLookup } from '../../shared/units/registry-lookup.js';
import { DEMO_AGENCIES, DEMO_CONCLUSIONS, DEMO_REPORTS } from './dataset.js';
import { seedDemoSurveys } from './surveys.js';

/**
 * Loads the demo dataset (dataset.ts) through the domain services, exactly as agencies' requests would
 * (validation, unit resolution, jurisdiction, idempotency), minus the signature: the seed is trusted code.
 * Each demo agency gets a key pair made here; the private keys stay under `<dataDir>/demo-keys/` (never in the
 * repository), so a newcomer can also publish as a demo agency. Running it again changes nothing.
 */

export interface SeedOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly recordsTable: string;
  readonly dataDir: string;
  /** Units to resolve codes with; the committed registry by default (the same ids the store's registry has). */
  readonly units?: UnitLookup;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

export interface SeedSummary {
  readonly agencies: number;
  readonly conclusionsCreated: number;
  readonly reportsCreated: number;
  readonly surveysCreated: number;
}

/** Seeds the demo dataset (idempotent). */
export async function seedDemo(options: SeedOptions): Promise<SeedSummary> {
  const units = options.units ?? new RegistryUnitLookup(loadRegistryFile());
  const agencies = new DynamoAgencyRepository(options.doc, options.recordsTable);
  const conclusionDeps = {
    conclusions: new DynamoConclusionStore(options.doc, options.recordsTable),
    units,
    replay: agencies,
    ...(options.now ? { now: options.now } : {}),
  };
  const reportDeps = { reports: new DynamoReportStore(options.doc, options.recordsTable), units, replay: agencies };

  const registered = new Map<string, Awaited<ReturnType<typeof registerAgency>>['agency']>();
  for (const demo of DEMO_AGENCIES) {
    const publicKeyPem = demoPublicKey(options.dataDir, demo.id);
    const { agency } = await registerAgency(
      { id: demo.id, name: demo.name, jurisdiction: demo.jurisdiction, publicKeyPem },
      { agencies, units },
    );
    registered.set(agency.id, agency);
  }

  let conclusionsCreated = 0;
  for (const demo of DEMO_CONCLUSIONS) {
    const agency = registered.get(demo.agencyId);
    if (!agency) throw new Error(`demo conclusion of unknown agency ${demo.agencyId}`);
    const { created } = await createConclusion(ConclusionInputSchema.parse(demo.body), { agency }, conclusionDeps);
    if (created) conclusionsCreated += 1;
  }
  let reportsCreated = 0;
  for (const demo of DEMO_REPORTS) {
    const agency = registered.get(demo.agencyId);
    if (!agency) throw new Error(`demo report of unknown agency ${demo.agencyId}`);
    const { created } = await fileReport(ReportInputSchema.parse(demo.body), { agency }, reportDeps);
    if (created) reportsCreated += 1;
  }
  // Synthetic survey responses (labelled as such on the site), through the survey service, so the satisfaction
  // figures are not empty on a newcomer's first start.
  const surveys = await seedDemoSurveys({
    units,
    store: new DynamoSurveyStore(options.doc, options.recordsTable),
    dossierSecret: surveySecretsFromEnv().dossierSecret,
  });
  const summary = { agencies: registered.size, conclusionsCreated, reportsCreated, surveysCreated: surveys.written };
  options.log?.(
    `demo data: ${summary.agencies} agencies, ${conclusionsCreated} conclusions, ${reportsCreated} reports and ${surveys.written} synthetic survey responses added (keys in ${join(options.dataDir, 'demo-keys')})`,
  );
  return summary;
}

/** Seeds only a store without agencies (`npm start` on an empty store). */
export async function seedDemoIfEmpty(options: SeedOptions): Promise<SeedSummary | undefined> {
  const existing = await new DynamoAgencyRepository(options.doc, options.recordsTable).list();
  if (existing.length > 0) return undefined;
  return seedDemo(options);
}

/** The demo agency's public key, making its key pair on first use (private key readable by the owner only). */
function demoPublicKey(dataDir: string, agencyId: string): string {
  const dir = join(dataDir, 'demo-keys');
  const privateFile = join(dir, `${agencyId}.pem`);
  const publicFile = join(dir, `${agencyId}.pub.pem`);
  if (existsSync(privateFile)) {
    const publicPem = createPublicKey(readFileSync(privateFile, 'utf8'))
      .export({ type: 'spki', format: 'pem' })
      .toString();
    if (!existsSync(publicFile)) writeFileSync(publicFile, publicPem);
    return publicPem;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  chmodSync(privateFile, 0o600);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(publicFile, publicPem);
  return publicPem;
}
