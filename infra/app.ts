import { App } from 'aws-cdk-lib';
import { defineApp } from './define-app.js';

/** Entry of the CDK app (`cdk.json`: `npx tsx infra/app.ts`); the stage comes from context, e.g. `-c stage=prod`. */
const app = new App();
defineApp(app);
app.synth();
