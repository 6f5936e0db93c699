import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionConfig } from '../../functions/lib/config.js';
import { surveySecretsFromEnv } from '../../functions/surveys/secrets.js';
import { registerAgency } from '../../shared/agencies/service.js';
import { type SigningKey, signAgencyRequest, signingKeyFromPem } from '../../shared/auth/sign-agency-request.js';
import { verifyAgencyRequest } from '../../shared/auth/verify-agency-request.js';
import { ConclusionInputSchema } from '../../shared/conclusions/schemas.js';
import { createConclusion } from '../../shared/conclusions/service.js';
import type { Publisher } from '../../shared/publishing/publisher.js';
import { ReportInputSchema } from '../../shared/reports/schemas.js';
import { fileReport } from '../../shared/reports/service.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { DynamoConclusionStore } from '../../shared/storage/conclusions-repository.js';
import { DynamoReportStore } from '../../shared/storage/reports-repository.js';
import { DynamoSummaryStore } from '../../shared/storage/summaries-repository.js';
import { DynamoSurveyStore } from '../../shared/storage/surveys-repository.js';
import { SummaryInputSchema } from '../../shared/summaries/schemas.js';
import { createSummary } from '../../shared/summaries/service.js';
import { loadRegistryFile } from '../../shared/units/load.js';
import type { UnitLookup } from '../../shared/units/ports.js';
import { RegistryUnitLookup } from '../../shared/units/registry-lookup.js';
import { DEMO_AGENCIES, DEMO_CONCLUSIONS, DEMO_REPORTS } from './dataset.js';
import { DEMO_SUMMARIES } from './summaries.js';
import { seedDemoSurveys } from './surveys.js';

/**
 * Loads the demo dataset (dataset.ts) as agencies' requests: each body is signed by its demo agency's key
 * (CONTRACT.md, "Agency authentication"), verified like any request, and goes through the domain services
 * (validation, unit resolution, jurisdiction, idempotency) with its signed request kept, so the demo versions are
 * in the transparency log and verifiable like everything else. Each demo agency gets a key pair made here; the
 * private keys stay under `<dataDir>/demo-keys/` (never in the repository), so a newcomer can also publish as a
 * demo agency. Running it again adds nothing.
 */

export interface SeedOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly recordsTable: string;
  readonly dataDir: string;
  /** Units to resolve codes with; the committed registry by default (the same ids the store's registry has). */
  readonly units?: UnitLookup;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
  /** Where the dossier key is configured (the handlers' configuration); `process.env` by default. */
  readonly config?: FunctionConfig;
}

export interface SeedSummary {
  readonly agencies: number;
  readonly conclusionsCreated: number;
  readonly reportsCreated: number;
  readonly summariesCreated: number;
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
  const summaryDeps = {
    summaries: new DynamoSummaryStore(options.doc, options.recordsTable),
    units,
    replay: agencies,
    ...(options.now ? { now: options.now } : {}),
  };

  const registered = new Set<string>();
  for (const demo of DEMO_AGENCIES) {
    const publicKeyPem = demoPublicKey(options.dataDir, demo.id);
    const { agency } = await registerAgency(
      { id: demo.id, name: demo.name, jurisdiction: demo.jurisdiction, publicKeyPem },
      { agencies, units },
    );
    registered.add(agency.id);
  }
  const sign = demoSigner(options.dataDir, agencies, options.now);

  let conclusionsCreated = 0;
  for (const demo of DEMO_CONCLUSIONS) {
    if (!registered.has(demo.agencyId)) throw new Error(`demo conclusion of unknown agency ${demo.agencyId}`);
    const { publisher, body } = await sign(demo.agencyId, 'POST', '/api/v1/conclusions', demo.body);
    const flagged: Publisher = demo.illustrative ? { ...publisher, illustrative: true } : publisher;
    const { created } = await createConclusion(ConclusionInputSchema.parse(body), flagged, conclusionDeps);
    if (created) conclusionsCreated += 1;
  }
  let summariesCreated = 0;
  for (const demo of DEMO_SUMMARIES) {
    if (!registered.has(demo.agencyId)) throw new Error(`demo summary of unknown agency ${demo.agencyId}`);
    const { publisher, body } = await sign(demo.agencyId, 'POST', '/api/v1/summaries', demo.body);
    const { created } = await createSummary(SummaryInputSchema.parse(body), publisher, summaryDeps);
    if (created) summariesCreated += 1;
  }
  let reportsCreated = 0;
  for (const demo of DEMO_REPORTS) {
    if (!registered.has(demo.agencyId)) throw new Error(`demo report of unknown agency ${demo.agencyId}`);
    const { publisher, body } = await sign(demo.agencyId, 'POST', '/api/v1/reports', demo.body);
    const { created } = await fileReport(ReportInputSchema.parse(body), publisher, reportDeps);
    if (created) reportsCreated += 1;
  }
  // Synthetic survey responses (labelled as such on the site), through the survey service, so the satisfaction
  // figures are not empty on a newcomer's first start.
  const surveys = await seedDemoSurveys({
    units,
    store: new DynamoSurveyStore(options.doc, options.recordsTable),
    dossierSecret: surveySecretsFromEnv(options.config ?? process.env).dossierSecret,
  });
  const summary = {
    agencies: registered.size,
    conclusionsCreated,
    reportsCreated,
    summariesCreated,
    surveysCreated: surveys.written,
  };
  options.log?.(
    `demo data: ${summary.agencies} agencies, ${conclusionsCreated} conclusions, ${summariesCreated} summary reports, ${reportsCreated} reports and ${surveys.written} synthetic survey responses added (keys in ${join(options.dataDir, 'demo-keys')})`,
  );
  return summary;
}

/** Seeds only a store without agencies (`npm start` on an empty store). */
export async function seedDemoIfEmpty(options: SeedOptions): Promise<SeedSummary | undefined> {
  const existing = await new DynamoAgencyRepository(options.doc, options.recordsTable).list();
  if (existing.length > 0) return undefined;
  return seedDemo(options);
}

/**
 * Signs a demo body as its agency would (`npm run publish` does the same) and verifies the request as the API does,
 * giving the publisher (agency, replay marker, signed request) and the body read back from the signed bytes.
 */
export function demoSigner(dataDir: string, agencies: DynamoAgencyRepository, now?: () => Date) {
  const keys = new Map<string, Promise<SigningKey>>();
  return async function signDemoRequest(
    agencyId: string,
    method: string,
    pathWithQuery: string,
    content: unknown,
  ): Promise<{ publisher: Publisher; body: unknown }> {
    let key = keys.get(agencyId);
    if (!key) {
      key = signingKeyFromPem(agencyId, readFileSync(join(dataDir, 'demo-keys', `${agencyId}.pem`), 'utf8'));
      keys.set(agencyId, key);
    }
    const bytes = new TextEncoder().encode(JSON.stringify(content));
    const at = now?.() ?? new Date();
    // The shortest lifetime: these tokens are made and used in this process, then published in the log.
    const authorization = await signAgencyRequest(await key, {
      method,
      pathWithQuery,
      body: bytes,
      now: at,
      lifetimeSeconds: 1,
    });
    const verified = await verifyAgencyRequest({ authorization }, bytes, method, pathWithQuery, {
      agencies,
      replay: agencies,
      now: () => at,
    });
    // No replay marker: the seed is the only user of its tokens, and a marker on the idempotent path would make a
    // second run write something. A replayed demo token could only repeat the same request, which changes nothing.
    return {
      publisher: { agency: verified.agency, signed: verified.signed },
      body: JSON.parse(new TextDecoder().decode(bytes)),
    };
  };
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
