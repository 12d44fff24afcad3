/**
 * CDK entry point (cdk.json runs `node infra/app.ts`; Node 24 strips the types).
 * `npx cdk synth -c stage=prod` selects the stage; see docs/deploy.md for every context key.
 */
import { buildApp } from "./build-app.ts";

buildApp().app.synth();
