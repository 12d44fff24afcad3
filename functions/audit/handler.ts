import { metered } from "../shared/runtime.ts";
import { auditPages, staff } from "../shared/staff-runtime.ts";
import { auditHandler } from "./audit.ts";

export const handler = auditHandler({ ...staff, readPage: auditPages }).use(metered);
