/**
 * Loads the AWS layer (dist/aws.js, which carries the SDK) on first use, not at activation.
 * The UI sees only the types from src/aws/api.ts.
 */
import * as path from 'path';
import type { AwsServices, AwsServicesOptions } from '../aws/api';

type AwsModule = { createAwsServices(options: AwsServicesOptions): AwsServices };

export class LazyAws {
  private services: AwsServices | undefined;

  constructor(private readonly options: AwsServicesOptions) {}

  get loaded(): boolean {
    return this.services !== undefined;
  }

  get(): AwsServices {
    if (!this.services) {
      // A computed path keeps esbuild from inlining the SDK into extension.js.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path on purpose (see above)
      const mod = require(path.join(__dirname, 'aws.js')) as AwsModule;
      this.services = mod.createAwsServices(this.options);
    }
    return this.services;
  }

  dispose(): void {
    this.services?.dispose();
    this.services = undefined;
  }
}
