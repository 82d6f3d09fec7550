/**
 * "Use an environment variable instead": a code action on a literal CodeArtifact token (and the command behind it)
 * that rewrites the file's literal tokens to `${CODEARTIFACT_AUTH_TOKEN}` references (core/environment/
 * moveToEnvironment.ts says where a tool expands them) through one WorkspaceEdit marked `needsConfirmation`, so VS Code
 * shows its refactor preview first; once applied, the file is saved (the point is that no token stays on disk) and
 * the terminal environment is turned on and refreshed for it.
 */
import * as vscode from 'vscode';
import { RefresherError } from '../../core/errors';
import { planMoveToEnvironment } from '../../core/environment/moveToEnvironment';
import { CommandId } from '../commandIds';
import type { Deps } from '../deps';
import type { EnvironmentResult, TerminalEnvironment } from './service';
import { ENV_SECTION } from './settings';

export const USE_VARIABLE_TITLE = 'Use an environment variable instead';

export class UseVariableActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite] };

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const text = doc.getText();
    if (!text.includes('.d.codeartifact.')) return [];
    const plan = planMoveToEnvironment(text, doc.uri.path);
    if (!plan.edits.some((e) => e.line >= range.start.line && e.line <= range.end.line)) return [];
    const action = new vscode.CodeAction(USE_VARIABLE_TITLE, vscode.CodeActionKind.RefactorRewrite);
    action.command = { command: CommandId.useEnvironmentVariable, title: USE_VARIABLE_TITLE, arguments: [doc.uri] };
    return [action];
  }
}

export interface UseVariableResult {
  status: 'applied' | 'declined';
  replaced: number;
  /** False when the editor could not save the file (the literal token is still on disk). */
  saved?: boolean;
  variables: string[];
  environment?: EnvironmentResult;
}

export async function useEnvironmentVariable(deps: Deps, environment: TerminalEnvironment, uri?: vscode.Uri): Promise<UseVariableResult> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc) throw new RefresherError('InvalidInput', 'No file is open in the editor.', 'Open the requirements file or .npmrc that holds the literal token.');
  const name = vscode.workspace.asRelativePath(doc.uri, false);
  const plan = planMoveToEnvironment(doc.getText(), doc.uri.path);
  if (plan.edits.length === 0) {
    throw new RefresherError(
      'InvalidInput',
      `${name} has no literal CodeArtifact token a tool would read from the environment instead.`,
      'This works for the URL password in requirements files (pip expands `${NAME}` there) and for an .npmrc `_authToken`.',
    );
  }
  const edit = new vscode.WorkspaceEdit();
  const meta: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label: USE_VARIABLE_TITLE, description: plan.variables.map((v) => v.name).join(', ') };
  for (const e of plan.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.text, meta);
  const applied = await vscode.workspace.applyEdit(edit);
  const variables = plan.variables.map((v) => v.name);
  if (!applied) return { status: 'declined', replaced: 0, variables };
  const saved = !doc.isUntitled && (await doc.save());
  if (!saved && !doc.isUntitled) {
    deps.log.warn(`${name}: rewritten in the editor but not saved`);
    void deps.prompts.notify('warning', `${name} now references the environment but is not saved: the token is still on disk until you save it.`);
  }
  deps.log.info(`${name}: ${plan.edits.length} literal token(s) replaced by ${variables.map((v) => `\${${v}}`).join(', ')}`);
  await turnOn(doc.uri);
  return { status: 'applied', replaced: plan.edits.length, saved, variables, environment: await environment.refreshNow() };
}

/** Turns `codeartifact.terminalEnvironment.enabled` on where it is off (folder, workspace or user settings). */
async function turnOn(uri: vscode.Uri): Promise<void> {
  const c = vscode.workspace.getConfiguration(ENV_SECTION, uri);
  const i = c.inspect<unknown>('enabled');
  if (i?.workspaceFolderValue === false) await c.update('enabled', true, vscode.ConfigurationTarget.WorkspaceFolder);
  if (i?.workspaceValue === false) await c.update('enabled', true, vscode.ConfigurationTarget.Workspace);
  if (i?.globalValue === false) await c.update('enabled', true, vscode.ConfigurationTarget.Global);
}
