/**
 * A guard against committing a secret: a workspace file that holds a literal CodeArtifact token and that git does not
 * ignore (tracked, or untracked but not ignored: `git add .` would take it) gets a warning diagnostic on each token
 * line, and the review before a refresh says so. VS Code's git extension API (`vscode.git`, getAPI(1)) says which
 * repository holds a file and which git to run (`git.path`); the question itself goes to `git check-ignore` (see
 * files/gitCheckIgnore.ts for why not the API's checkIgnore). Without git, or outside a repository, nothing is flagged.
 */
import * as vscode from 'vscode';
import { findTokens } from '../core/endpoints';
import { gitIgnores } from './files/gitCheckIgnore';

interface GitRepository {
  rootUri: vscode.Uri;
}
interface GitApi {
  git: { path: string };
  getRepository(uri: vscode.Uri): GitRepository | null;
}

export const GIT_WARNING = 'git does not ignore this file, so this CodeArtifact token could be committed';
const SAFER = 'Keep the token out of the repository: put it in ~/.netrc (machine HOST login aws password TOKEN), or write ${CODEARTIFACT_AUTH_TOKEN} here and let the terminal environment provide it.';

export class GitGuard implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('codeartifact');
  /** The newest check of each file: an older check that finishes later must not overwrite its answer. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly log: (line: string) => void) {}

  private async api(): Promise<GitApi | undefined> {
    const ext = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    if (!ext) return undefined;
    try {
      const exports = ext.isActive ? ext.exports : await ext.activate();
      return exports?.getAPI(1);
    } catch {
      return undefined;
    }
  }

  /** True when `uri` is in a git repository and git does not ignore it. */
  async exposed(uri: vscode.Uri): Promise<boolean> {
    if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return false;
    const git = await this.api();
    const repo = git?.getRepository(uri) ?? null;
    if (!git || !repo) return false;
    try {
      return !(await gitIgnores(git.git.path, repo.rootUri.fsPath, uri.fsPath));
    } catch (e) {
      this.log(`git check-ignore failed for ${vscode.workspace.asRelativePath(uri)}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  /** The warning for a place about to receive a token (shown in the review), or undefined. */
  async warning(uri: vscode.Uri): Promise<string | undefined> {
    return (await this.exposed(uri)) ? `${GIT_WARNING}. ${SAFER}` : undefined;
  }

  /** Flags each literal token line of a workspace file git does not ignore; clears the file otherwise. */
  async check(uri: vscode.Uri, text: string): Promise<void> {
    const key = uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const literal = findTokens(text).filter((t) => !t.placeholder);
    const exposed = literal.length > 0 && (await this.exposed(uri));
    if (this.generations.get(key) !== generation) return; // a later check of this file answers instead
    if (!exposed) {
      this.diagnostics.delete(uri);
      return;
    }
    const lines = text.split(/\r\n|\r|\n/);
    this.diagnostics.set(
      uri,
      [...new Set(literal.map((t) => t.line))].map((line) => {
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, lines[line]?.length ?? 0), `${GIT_WARNING}. ${SAFER}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'CodeArtifact';
        return d;
      }),
    );
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}
