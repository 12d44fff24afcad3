import type { IsWithin } from "#domain/scope.ts";
import { rollsUpInto } from "#domain/units.ts";

/**
 * The unit tree the scope checks consult: the administrative-unit registry, with the scope read in
 * today's units. A staff member's scope is held now, while the event may be dated before the 2025
 * reform: a Lào Cai (15) admin covers a 2018 commune of old Yên Bái or old Lào Cai, which `isWithin`
 * (reading 15 as Yên Bái in 2018) would deny.
 */
export const isWithin: IsWithin = rollsUpInto;
