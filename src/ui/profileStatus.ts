/** A small status bar item with the AWS profile chosen for this workspace; click to change it. */
import * as vscode from 'vscode';
import type { ExpiryTracker } from '../core/tracker';
import { CommandId } from './commandIds';
import type { ProfileStore } from './profiles';

export class ProfileStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('codeartifact.profile', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly profiles: ProfileStore,
    private readonly tracker: ExpiryTracker,
  ) {
    this.item.name = 'CodeArtifact AWS Profile';
    this.item.command = CommandId.selectProfile;
    this.item.tooltip = 'AWS profile used for CodeArtifact tokens — click to change';
    this.subscriptions.push(profiles.onDidChange(() => this.render()), tracker.onDidChange(() => this.render()));
    this.render();
  }

  /** Shown once a profile was chosen here, or while tokens are tracked (so the countdown says whose token it is). */
  render(): void {
    const name = this.profiles.displayName;
    if (name && (this.profiles.chosen || this.tracker.all().length > 0)) {
      this.item.text = `$(account) ${name}`;
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
