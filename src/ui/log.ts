/**
 * The "CodeArtifact" log channel. Every line passes through the redactor, which hides token positions and
 * every token this session has issued or read (even if one turns up somewhere unexpected, e.g. an SDK error).
 */
import * as vscode from 'vscode';
import { redact } from '../core/redact';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();
  /** Every line written, redacted; kept small, for the leak tests and "Show Log". */
  readonly recent: string[] = [];

  constructor(name = 'CodeArtifact') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Remember a secret so that it is hidden wherever it shows up later. */
  addSecret(secret: string): void {
    if (secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  info(msg: string): void {
    this.write('info', msg);
  }

  warn(msg: string): void {
    this.write('warn', msg);
  }

  error(msg: string, err?: unknown): void {
    const detail = err instanceof Error && err.stack ? `\n${err.stack}` : err !== undefined && !(err instanceof Error) ? `\n${String(err)}` : '';
    this.write('error', msg + detail);
  }

  show(): void {
    this.channel.show(true);
  }

  private write(level: 'info' | 'warn' | 'error', msg: string): void {
    const line = this.redact(msg);
    this.recent.push(`[${level}] ${line}`);
    if (this.recent.length > 500) this.recent.shift();
    this.channel[level](line);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
