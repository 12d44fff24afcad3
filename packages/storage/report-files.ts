import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

/** Where reports are kept, from the environment: the bucket, and an endpoint for the local emulator. */
export const REPORTS_ENV = { bucket: "REPORTS_BUCKET", endpoint: "S3_ENDPOINT" } as const;

/** How long a download link works: long enough to click, short enough that a forwarded link goes stale. */
export const LINK_SECONDS = 15 * 60;

export interface ReportFile {
  readonly key: string;
  readonly size: number;
  readonly lastModified: string;
}

/** The reports bucket: write a report's files, list them, and sign a download link for one. */
export interface ReportFiles {
  readonly put: (key: string, body: Uint8Array, contentType: string) => Promise<void>;
  /** Every file under `prefix`, newest first (at most `limit`). */
  readonly list: (prefix: string, limit: number) => Promise<readonly ReportFile[]>;
  readonly link: (key: string) => Promise<string>;
}

/**
 * Reports live in one bucket (encrypted and versioned when deployed: a report overwritten by a re-run
 * keeps its earlier version), keyed `<kind>/<file>`. Writing the same report twice writes the same key,
 * so a scheduler's retry is harmless.
 */
export const createReportFiles = (
  env: NodeJS.ProcessEnv = process.env,
  region: string = env.AWS_REGION ?? "ap-southeast-1",
): ReportFiles => {
  const Bucket = env[REPORTS_ENV.bucket];
  if (!Bucket) throw new Error(`${REPORTS_ENV.bucket} is not set`);
  const endpoint = env[REPORTS_ENV.endpoint];
  const s3 = new S3Client({
    region,
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async list(prefix, limit) {
      const files: ReportFile[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? [])
          if (o.Key !== undefined)
            files.push({
              key: o.Key,
              size: o.Size ?? 0,
              lastModified: (o.LastModified ?? new Date(0)).toISOString(),
            });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return files.sort((a, b) => (a.lastModified < b.lastModified ? 1 : -1)).slice(0, limit);
    },
    link: (key) => getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: LINK_SECONDS }),
  };
};
