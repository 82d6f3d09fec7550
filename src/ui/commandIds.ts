/** Every command the extension registers; package.json `contributes.commands` lists the public ones. */
export const CommandId = {
  selectProfile: 'codeartifact.selectProfile',
  refreshRemoteFile: 'codeartifact.refreshRemoteFile',
  refreshAllRemoteFiles: 'codeartifact.refreshAllRemoteFiles',
  refreshActiveFile: 'codeartifact.refreshActiveFile',
  showTokenStatus: 'codeartifact.showTokenStatus',
  showLog: 'codeartifact.showLog',
  /** Target of the status bar tooltip's "Refresh" links; hidden from the palette. */
  refreshTracked: 'codeartifact.refreshTracked',
  refreshTerminalEnvironment: 'codeartifact.refreshTerminalEnvironment',
  /** "Use an environment variable instead" (code action on a literal token; palette: the active editor's file). */
  useEnvironmentVariable: 'codeartifact.useEnvironmentVariable',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
