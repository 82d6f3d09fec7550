/**
 * The `codeartifact.mwaaEnvironments` view: one node per profile (`codeartifact.mwaa.profiles`, else the workspace's
 * profile), under it the MWAA environments found in the profile's region and in `codeartifact.mwaa.regions`, each with
 * its status, Airflow version and what it does for CodeArtifact (discovery.ts). Nothing loads until the view is
 * opened (the SDK included); "Refresh" in the title reloads.
 */
import * as vscode from 'vscode';
import { formatLocal } from '../../core/expiry';
import { describeSetup } from '../../core/mwaa/classify';
import type { Deps } from '../deps';
import { recordScan } from '../tracking';
import { listEnvironments, type DiscoveredEnvironment } from './discovery';
import { mwaaProfiles, mwaaRegions, profileRegion } from './settings';

export const MWAA_VIEW_ID = 'codeartifact.mwaaEnvironments';

export interface ProfileNode {
  kind: 'profile';
  profile: string;
  regions: string[];
}

export interface EnvironmentNode {
  kind: 'environment';
  found: DiscoveredEnvironment;
}

export interface MessageNode {
  kind: 'message';
  text: string;
  tooltip?: string;
}

export type MwaaNode = ProfileNode | EnvironmentNode | MessageNode;

export class MwaaEnvironmentsView implements vscode.TreeDataProvider<MwaaNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MwaaNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private readonly settingsChanged: vscode.Disposable;

  constructor(private readonly deps: Deps, private readonly now: () => Date = () => new Date()) {
    this.settingsChanged = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('codeartifact.mwaa') || e.affectsConfiguration('codeartifact.profile')) this.reload();
    });
  }

  reload(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: MwaaNode): Promise<MwaaNode[]> {
    if (!node) {
      const configured = mwaaProfiles();
      const profiles = configured.length ? configured : [await this.deps.profiles.resolve()];
      const extra = mwaaRegions();
      const known = await this.deps.aws.get().listProfiles(); // read once, not once per profile
      return profiles.map((profile) => ({ kind: 'profile' as const, profile, regions: [...new Set([profileRegion(known, profile), ...extra])] }));
    }
    if (node.kind !== 'profile') return [];
    const { found, failures } = await listEnvironments(this.deps.aws.get(), node.profile, node.regions);
    for (const f of failures) this.deps.log.warn(`MWAA environments of profile ${node.profile} in ${f.region}: ${this.deps.log.redact(f.message)}`);
    // The token in each environment's codeartifact.txt is tracked like any other place (status bar, token list, expiry
    // warning: new workers fail once it has expired), read from the token itself.
    for (const f of found) {
      for (const l of f.legacyTexts ?? []) recordScan(this.deps.tracker, { id: l.uri, kind: 's3', label: `MWAA ${f.environment.name}`, profile: f.profile }, l.text);
    }
    const nodes: MwaaNode[] = found.map((f) => ({ kind: 'environment', found: f }));
    for (const f of failures) nodes.push({ kind: 'message', text: `${f.region}: could not list environments`, tooltip: this.deps.log.redact(f.message) });
    if (nodes.length === 0) nodes.push({ kind: 'message', text: `No MWAA environments in ${node.regions.join(', ')}` });
    return nodes;
  }

  getTreeItem(node: MwaaNode): vscode.TreeItem {
    if (node.kind === 'profile') {
      const item = new vscode.TreeItem(node.profile, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.regions.join(', ');
      item.iconPath = new vscode.ThemeIcon('account');
      item.contextValue = 'mwaaProfile';
      return item;
    }
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      if (node.tooltip) item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    const { environment: e, setup, problem } = node.found;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    const setupText = setup ? describeSetup(setup, this.now()) : `objects not readable`;
    item.description = `${e.status} · Airflow ${e.airflowVersion ?? '?'} · ${e.region} · ${setupText}`;
    const expired = setup?.tokenExpiry !== undefined && setup.tokenExpiry.getTime() <= this.now().getTime();
    item.iconPath = new vscode.ThemeIcon(expired || problem ? 'warning' : setup?.kind === 'startup-script' ? 'pass' : 'server-environment');
    const md = new vscode.MarkdownString(undefined, false);
    md.appendText(`${e.name} (${e.region}, profile ${node.found.profile})\n\nStatus: ${e.status}; Airflow ${e.airflowVersion ?? '?'}\n\n${setupText}`);
    if (setup?.tokenExpiry) md.appendText(`\n\nToken in ${node.found.legacyUris.join(', ')} ${expired ? 'expired' : 'expires'} ${formatLocal(setup.tokenExpiry)}`);
    // pip's errors can quote index URLs: redacted like everything else shown.
    if (e.lastUpdate?.error) md.appendText(`\n\nLast update failed: ${this.deps.log.redact(`${e.lastUpdate.error.code ?? ''} ${e.lastUpdate.error.message ?? ''}`)}`);
    if (problem) md.appendText(`\n\n${this.deps.log.redact(problem)}`);
    item.tooltip = md;
    const legacy = node.found.legacyUris.length > 0;
    item.contextValue = `mwaaEnvironment${legacy ? '.legacy' : ''}${expired ? '.expired' : ''}`;
    return item;
  }

  dispose(): void {
    this.settingsChanged.dispose();
    this.changed.dispose();
  }
}
