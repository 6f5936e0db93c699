import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per process. Payloads are never logged: they may hold personal data. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cong-vu' });
