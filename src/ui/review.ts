/**
 * The review before anything that cannot be undone is written: one target -> its diff and a modal "Write" question;
 * several -> one multi-select pick, each row with an "Open diff" button. Every diff tab opened here is closed and its
 * texts forgotten when the review ends, whatever the order in which the person answered.
 */
import * as vscode from 'vscode';
import { formatLocal, formatRemaining } from '../core/expiry';
import { soonestExpiry } from '../core/outcome';
import { tokenExpiryOf } from '../core/textExpiry';
import type { Proposal } from '../core/refresh';
import type { PreviewProvider } from './preview';
import { pickManyWithButtons, type ButtonItem, type Prompts } from './prompts';
import type { Settings } from './settings';

export class Reviewer {
  constructor(
    private readonly prompts: Prompts,
    private readonly preview: PreviewProvider,
    private readonly settings: () => Settings,
    /** A warning to show beside a proposal (the git guard: "git would commit this token"). */
    private readonly warn?: (p: Proposal) => Promise<string | undefined>,
  ) {}

  async review(proposals: Proposal[]): Promise<ReadonlySet<string>> {
    const opened: Promise<string>[] = [];
    const open = (p: Proposal) => {
      const shown = this.preview.show(p.info.id, p.info.kind === 's3' ? p.info.id : p.info.label, p.before, p.after, this.settings().diffShowTokens);
      opened.push(shown);
      return shown;
    };
    try {
      if (proposals.length === 1) {
        const p = proposals[0];
        await open(p);
        const warning = await this.warn?.(p);
        const answer = await this.prompts.confirm(`Write the refreshed CodeArtifact token to ${p.info.kind === 's3' ? p.info.id : p.info.label}?`, `${warning ? `${warning}\n\n` : ''}${detail(p)}`, 'Write');
        return new Set(answer === 'Write' ? [p.info.id] : []);
      }
      const warnings = await Promise.all(proposals.map((p) => this.warn?.(p)));
      const items: (ButtonItem & { id: string })[] = [];
      for (const kind of ['s3', 'file', 'user-file'] as const) {
        const group = proposals.map((p, i) => ({ p, warning: warnings[i] })).filter(({ p }) => p.info.kind === kind);
        if (group.length === 0) continue;
        items.push({ label: GROUP[kind], kind: vscode.QuickPickItemKind.Separator, id: '' });
        for (const { p, warning } of group) {
          items.push({
            label: p.info.label,
            description: p.info.kind === 's3' && p.info.label !== p.info.id ? `${p.info.id} · ${p.info.profile}` : p.info.profile,
            detail: `${warning ? `$(warning) ${warning} · ` : ''}${current(p)} → ${positions(p)} (${domains(p)}); new tokens expire ${expiry(p)}`,
            picked: true,
            id: p.info.id,
            onButton: () => void open(p),
          });
        }
      }
      const chosen = await pickManyWithButtons(this.prompts, items, `Write refreshed tokens to ${placesNoun(proposals)}? (unchecked ones are left alone)`, {
        iconPath: new vscode.ThemeIcon('diff'),
        tooltip: 'Open diff',
      });
      return new Set((chosen ?? []).map((c) => c.id));
    } finally {
      // A diff may still be opening when the answer comes: wait for each, then close it.
      for (const id of await Promise.all(opened.map((o) => o.catch(() => undefined)))) if (id) await this.preview.close(id);
    }
  }
}

/** "2 S3 objects", "3 files", "4 places" (mixed kinds). */
function placesNoun(proposals: Proposal[]): string {
  const kinds = new Set(proposals.map((p) => p.info.kind));
  const noun = kinds.size > 1 ? 'place' : kinds.has('s3') ? 'S3 object' : 'file';
  return `${proposals.length} ${noun}${proposals.length === 1 ? '' : 's'}`;
}

const GROUP = { s3: 'S3 objects', file: 'Workspace files', 'user-file': 'User-level files' } as const;

/** What the place holds now: "current token expired 3h ago" (read from the token itself). */
function current(p: Proposal): string {
  const { soonest } = tokenExpiryOf(p.before);
  return soonest === undefined ? 'no current token' : `current token ${formatRemaining(new Date(), soonest).replace(/^(?!expired)/, 'expires in ')}`;
}

function positions(p: Proposal): string {
  return `${p.replaced} token position${p.replaced === 1 ? '' : 's'}`;
}

function domains(p: Proposal): string {
  return [...new Set(p.tokens.map((t) => t.domain))].join(', ');
}

function expiry(p: Proposal): string {
  const at = soonestExpiry(p.tokens);
  return at === undefined ? 'at an unknown time' : formatLocal(new Date(at));
}

function detail(p: Proposal): string {
  return (
    `${positions(p)} (${domains(p)}) with profile ${p.info.profile}; new tokens expire ${expiry(p)}. ` +
    `${p.round > 1 ? 'It changed since the last diff; this is the diff against its new content. ' : ''}` +
    'It is written only if nobody changes it before then.'
  );
}
