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
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
