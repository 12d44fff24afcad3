import { createReportFiles } from "#storage/report-files.ts";
import { metered } from "../shared/runtime.ts";
import { staff } from "../shared/staff-runtime.ts";
import { listReportsHandler } from "./list.ts";

export const handler = listReportsHandler({ ...staff, files: createReportFiles() }).use(metered);
