/** Every command the extension registers; package.json `contributes.commands` lists the public ones. */
export const CommandId = {
  selectProfile: 'codeartifact.selectProfile',
  refreshRemoteFile: 'codeartifact.refreshRemoteFile',
  refreshAllRemoteFiles: 'codeartifact.refreshAllRemoteFiles',
  refreshAll: 'codeartifact.refreshAll',
  refreshActiveFile: 'codeartifact.refreshActiveFile',
  showTokenStatus: 'codeartifact.showTokenStatus',
  showLog: 'codeartifact.showLog',
  /** Target of the status bar tooltip's "Refresh" links; hidden from the palette. */
  refreshTracked: 'codeartifact.refreshTracked',
  // Amazon MWAA (src/ui/mwaa): the view's title and context actions, and the migration (also from the palette).
  mwaaReload: 'codeartifact.mwaa.reload',
  mwaaRefreshEnvironment: 'codeartifact.mwaa.refreshEnvironment',
  mwaaAddToRemoteFiles: 'codeartifact.mwaa.addToRemoteFiles',
  mwaaMigrateToStartupScript: 'codeartifact.mwaa.migrateToStartupScript',
  refreshTerminalEnvironment: 'codeartifact.refreshTerminalEnvironment',
  /** "Use an environment variable instead" (code action on a literal token; palette: the active editor's file). */
  useEnvironmentVariable: 'codeartifact.useEnvironmentVariable',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
