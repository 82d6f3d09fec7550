import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wiring arrives with the UI; kept tiny so activation stays cheap.
}

export function deactivate(): void {}
