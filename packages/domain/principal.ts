import { z } from "zod";
import { staffRoles } from "#events/envelope.ts";

/**
 * The four kinds of caller behind the staff routes. Each is a Cognito group when deployed and a
 * `cognito:groups` claim of the local issuer's tokens.
 * - `association-admin`: the association at the nation (`VN`) or one province;
 * - `unit-staff`: one commune's association;
 * - `auditor`: reads aggregates and the audit trail, never personal data;
 * - `reporter`: a machine identity for scheduled jobs.
 */
export const roles = staffRoles;
export type Role = (typeof roles)[number];

/** The whole country: the scope of a national admin, an auditor and the reporter. */
export const NATION = "VN";

/** Who is calling, as the verified token says: a subject, one role and the unit its scope is rooted at. */
export interface Principal {
  /** The token's `sub`: stable, opaque, never a name. */
  readonly subject: string;
  readonly role: Role;
  /** `VN`, a 2-digit province code or a 5-digit commune code. */
  readonly scope: string;
}

/** What a role may be scoped to: the unit levels it works at. */
const scopeShape: Record<Role, RegExp> = {
  "association-admin": /^(VN|\d{2})$/,
  "unit-staff": /^\d{5}$/,
  auditor: /^VN$/,
  reporter: /^VN$/,
};

const Claims = z.object({
  sub: z.string().min(1).max(128),
  "cognito:groups": z.array(z.string()).min(1),
  "custom:unit": z.string().optional(),
});

/**
 * The principal a verified token's claims describe, or undefined when they describe none: no role,
 * several roles (a person acts in one capacity at a time), or a scope the role cannot have. Roles that
 * work nationwide default to `VN`.
 */
export const principalFromClaims = (claims: unknown): Principal | undefined => {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) return undefined;
  const groups = parsed.data["cognito:groups"].filter((g): g is Role =>
    (roles as readonly string[]).includes(g),
  );
  const [role, ...others] = groups;
  if (role === undefined || others.length > 0) return undefined;
  const scope =
    parsed.data["custom:unit"] ?? (role === "auditor" || role === "reporter" ? NATION : undefined);
  if (scope === undefined || !scopeShape[role].test(scope)) return undefined;
  return { subject: parsed.data.sub, role, scope };
};

/** The actor an event records: the token's subject and role, never a name. */
export const actorOf = (principal: Principal): { subject: string; role: Role } => ({
  subject: principal.subject,
  role: principal.role,
});
