/** `npm run build:web`: the web app into packages/web/dist, for `npm start` and the CDK deployment. */
import { buildWeb, WEB_DIST } from "../packages/web/build.ts";

await buildWeb();
console.log(`built ${WEB_DIST}`);
