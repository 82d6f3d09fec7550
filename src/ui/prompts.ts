/**
 * Everything the extension shows a person goes through here: notifications, modals, quick picks, input boxes.
 * One place means one place to redact, and one place the integration tests can watch (every text shown is recorded
 * in test mode and scanned for tokens) or answer (a test can answer a prompt, or let it reach the real workbench and
 * click it there through the harness).
 */
import * as vscode from 'vscode';

export type PromptKind = 'info' | 'warning' | 'error' | 'modal' | 'quickPick' | 'inputBox';

export interface Prompt {
  kind: PromptKind;
  message: string;
  detail?: string;
  /** Button titles or quick-pick item labels. */
  choices: string[];
  /** Quick picks: the row highlighted when it opens (Enter picks it). */
  active?: string;
  /** Quick picks: each row's detail line, in the order of `choices`. */
  details?: string[];
}

/** Returns the chosen button/label (or typed text), `undefined` to dismiss, or `'passthrough'` to show it for real. */
export type PromptAnswer = string | string[] | undefined | 'passthrough';
export type PromptAnswerer = (p: Prompt) => PromptAnswer | Promise<PromptAnswer>;

export class Prompts {
  /** Every prompt shown, in order (test mode keeps them for the leak scan; otherwise the last 50). */
  readonly shown: Prompt[] = [];
  answerer: PromptAnswerer | undefined;

  constructor(private readonly keepAll: boolean) {}

  /** Records the prompt; in tests an answerer may answer it instead of the person. */
  async record(p: Prompt): Promise<PromptAnswer> {
    this.shown.push(p);
    if (!this.keepAll && this.shown.length > 50) this.shown.shift();
    return this.answerer ? this.answerer(p) : 'passthrough';
  }

  /** A notification. Buttons are optional; without buttons, do not await it. */
  async notify(kind: 'info' | 'warning' | 'error', message: string, ...buttons: string[]): Promise<string | undefined> {
    const a = await this.record({ kind, message, choices: buttons });
    if (a !== 'passthrough') return typeof a === 'string' ? a : undefined;
    const show = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    return show(message, ...buttons);
  }

  /** A modal question; returns the chosen button, or undefined for Cancel/Escape. */
  async confirm(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    const a = await this.record({ kind: 'modal', message, detail, choices: buttons });
    if (a !== 'passthrough') return typeof a === 'string' ? a : undefined;
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany: true }): Promise<T[] | undefined>;
  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { active?: T }): Promise<T | undefined>;
  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { active?: T }): Promise<T | T[] | undefined> {
    const selectable = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    const a = await this.record({
      kind: 'quickPick',
      message: options.title ?? options.placeHolder ?? '',
      detail: options.placeHolder,
      choices: selectable.map((i) => i.label),
      ...(options.active ? { active: options.active.label } : {}),
    });
    if (a !== 'passthrough') {
      if (a === undefined) return undefined;
      const labels = Array.isArray(a) ? a : [a];
      const chosen = labels.map((l) => selectable.find((i) => i.label === l)).filter((i): i is T => !!i);
      return options.canPickMany ? chosen : chosen[0];
    }
    if (options.active && !options.canPickMany) return pickWithActive(items, options, options.active);
    return vscode.window.showQuickPick(items, options) as Promise<T | T[] | undefined>;
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const a = await this.record({ kind: 'inputBox', message: options.prompt ?? options.title ?? '', choices: [] });
    if (a !== 'passthrough') {
      if (typeof a !== 'string') return undefined;
      // The validation a person would see applies to test answers too.
      const problem = options.validateInput ? await options.validateInput(a) : undefined;
      if (problem) {
        this.shown.push({ kind: 'error', message: typeof problem === 'string' ? problem : problem.message, choices: [] });
        return undefined;
      }
      return a;
    }
    return vscode.window.showInputBox(options);
  }
}

export interface ButtonItem extends vscode.QuickPickItem {
  /** Called when the item's button is clicked (the pick stays open). */
  onButton?: () => void;
}

/**
 * A multi-select pick whose items carry one button each (e.g. "Open diff"). Resolves with the accepted items, or
 * undefined when dismissed.
 */
export async function pickManyWithButtons<T extends ButtonItem>(
  prompts: Prompts,
  items: readonly T[],
  title: string,
  button: vscode.QuickInputButton,
): Promise<T[] | undefined> {
  const selectable = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
  const answer = await prompts.record({ kind: 'quickPick', message: title, choices: selectable.map((i) => i.label), details: selectable.map((i) => i.detail ?? '') });
  if (answer !== 'passthrough') {
    if (answer === undefined) return undefined;
    const labels = Array.isArray(answer) ? answer : [answer];
    return selectable.filter((i) => labels.includes(i.label));
  }
  const qp = vscode.window.createQuickPick<T>();
  qp.title = title;
  qp.canSelectMany = true;
  qp.ignoreFocusOut = true;
  qp.items = items.map((i) => (i.kind === vscode.QuickPickItemKind.Separator ? i : { ...i, buttons: [button] }));
  qp.selectedItems = qp.items.filter((i) => i.picked);
  return new Promise<T[] | undefined>((resolve) => {
    let done = false;
    qp.onDidTriggerItemButton((e) => e.item.onButton?.());
    qp.onDidAccept(() => {
      done = true;
      resolve([...qp.selectedItems]);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** showQuickPick cannot say which row is highlighted when it opens; a QuickPick can. */
function pickWithActive<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions, active: T): Promise<T | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = options.title;
  qp.placeholder = options.placeHolder;
  qp.matchOnDescription = options.matchOnDescription ?? false;
  qp.matchOnDetail = options.matchOnDetail ?? false;
  qp.ignoreFocusOut = options.ignoreFocusOut ?? false;
  qp.items = items;
  qp.activeItems = [active];
  return new Promise<T | undefined>((resolve) => {
    let picked: T | undefined;
    qp.onDidAccept(() => {
      picked = qp.selectedItems[0] ?? qp.activeItems[0];
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(picked);
      qp.dispose();
    });
    qp.show();
  });
}
