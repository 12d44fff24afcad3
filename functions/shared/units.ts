import type { IsWithin } from "#domain/scope.ts";

/**
 * The unit tree the scope checks consult. Until the administrative-unit registry is wired in here,
 * a province scope covers only events recorded at the province itself: a safe refusal, never a
 * wrong grant. National admins, and staff in their own commune, are unaffected.
 */
export const isWithin: IsWithin = () => false;
