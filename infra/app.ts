/**
 * CDK entry point (cdk.json runs `node infra/app.ts`; Node 24 strips the types). Builds the web app when
 * its sources changed, since the stack deploys it.
 * `npx cdk synth -c stage=prod` selects the stage; see docs/deploy.md for every context key.
 */
import { ensureWebBuilt } from "../packages/web/build.ts";
import { buildApp } from "./build-app.ts";

// The stack deploys the built web app: build it first when its sources changed (about a second).
await ensureWebBuilt((line) => console.error(line));
buildApp().app.synth();
