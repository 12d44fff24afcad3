/**
 * `npm run token -- --role unit-staff --unit 04252 --name "Nguyễn Văn A"`: prints a bearer token of the
 * local issuer, and nothing else on stdout, so that `TOKEN=$(npm run -s token -- …)` works. The signing
 * key is the one `npm start` serves (created in .local/ if neither has run yet).
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { principalFromClaims, roles } from "#domain/principal.ts";
import { loadSigningKey, mintToken } from "#local/token-issuer.ts";

const fail = (message: string): never => {
  console.error(`token: ${message}`);
  console.error(
    `usage: npm run -s token -- --role <${roles.join("|")}> [--unit <VN|province|commune>] [--name <name>] [--sub <subject>] [--minutes <n>]`,
  );
  process.exit(2);
};

const parse = () => {
  try {
    return parseArgs({
      options: {
        role: { type: "string" },
        unit: { type: "string" },
        name: { type: "string" },
        sub: { type: "string" },
        minutes: { type: "string", default: "60" },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
};
const values = parse();
const { role, unit, name } = values;
const minutes = Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) fail("--minutes must be 1 to 1440");
// The same person gets the same subject each time, so the audit trail groups their actions.
const digest = createHash("sha256")
  .update(`${role}|${unit ?? ""}|${name ?? ""}`)
  .digest("hex");
const subject =
  values.sub ??
  `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
const claims = {
  sub: subject,
  "cognito:groups": [role],
  ...(unit === undefined ? {} : { "custom:unit": unit }),
};
if (principalFromClaims(claims) === undefined) {
  fail(
    "--role must be one of the roles, with --unit VN or a province code for association-admin, a commune code for unit-staff, VN or nothing for auditor and reporter",
  );
}
const key = loadSigningKey(resolve(process.env.DATA_DIR ?? ".local"));
console.log(
  mintToken(key, {
    subject,
    role: role as (typeof roles)[number],
    ...(unit === undefined ? {} : { unit }),
    ...(name === undefined ? {} : { name }),
    ttlSeconds: minutes * 60,
  }),
);
