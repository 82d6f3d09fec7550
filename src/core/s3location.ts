// Placeholder so src/aws/api.ts type-checks; the core helper replaces this file with the real parser.
export interface S3Location {
  bucket: string;
  key: string;
  /** Region when the input named one (virtual-hosted URL or console URL). */
  region?: string;
}
