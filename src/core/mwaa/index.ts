/** MWAA environments, pure: requirements.txt includes, the startup script, and what an environment does for CodeArtifact. */
export * from './requirements';
export * from './script';
export { classifySetup, describeSetup, type CodeArtifactSetup, type IncludedFile, type Setup, type SetupInput } from './classify';
export { mwaaError, type MwaaErrorCode } from './errors';
export * from './migration';
