/**
 * The terminal environment target through the one refresh loop, on plain Node with a fake variable collection: the
 * first run fills every variable (one token call per domain, no review asked), a later run replaces them, a variable
 * dropped from the plan is removed, and a write against an outdated read changes nothing.
 */
import * as assert from 'node:assert/strict';
import { isRefresherError } from '../../../src/core/errors';
import { planVariables } from '../../../src/core/environment/variables';
import { runRefresh, type RefreshPorts } from '../../../src/core/refresh';
import { TerminalEnvironmentTarget, type VariableCollection } from '../../../src/ui/targets/terminalEnvironment';
import { codeArtifactHeader, makeJwe } from '../core/helpers';

const HOST = 'mydomain-111122223333.d.codeartifact.us-east-1.amazonaws.com';
const HOST2 = 'other-444455556666.d.codeartifact.eu-west-1.amazonaws.com';

class FakeCollection implements VariableCollection {
  readonly values = new Map<string, string>();
  replace(name: string, value: string): void {
    this.values.set(name, value);
  }
  delete(name: string): void {
    this.values.delete(name);
  }
  get(): undefined {
    return undefined;
  }
}

/** Every call issues a new token (the seed counts across runs). */
let n = 0;

function ports(issued: string[], reviews: { n: number }): RefreshPorts {
  return {
    fetchToken: async (key) => {
      const token = makeJwe(codeArtifactHeader(2_000_000_000), `${key.domain}-${n++}`);
      issued.push(`${key.domain}:${token}`);
      return { token, expiration: new Date(2_000_000_000_000) };
    },
    stage: (_s, _t, work) => work(new AbortController().signal),
    review: async () => {
      reviews.n++;
      return new Set();
    },
    recordTokens: () => undefined,
    recordText: () => undefined,
  };
}

describe('environment: the terminal environment target in the refresh loop', () => {
  const files = [{ label: 'requirements.txt', text: `-i https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/r/simple/\n--extra-index-url https://aws:\${OTHER}@${HOST2}/pypi/r/simple/\n` }];

  it('pip opt-in: PIP_EXTRA_INDEX_URL lists every other repository, each URL with the token of its own domain', async () => {
    const collection = new FakeCollection();
    const pipFiles = [{ label: 'requirements.txt', text: `-i https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/r/simple/\n--extra-index-url https://aws:\${OTHER}@${HOST2}/pypi/r2/simple/\n--extra-index-url https://aws:\${CODEARTIFACT_AUTH_TOKEN}@${HOST}/pypi/r3/simple/\n` }];
    const plan = planVariables(pipFiles, { pip: true, twine: false, explicit: [] });
    const target = new TerminalEnvironmentTarget('terminal-environment:w', 'Terminal environment', 'dev', collection, plan.variables);
    const issued: string[] = [];
    const r = await runRefresh([target], ports(issued, { n: 0 }), { confirm: false });
    assert.equal(r.outcomes[0].status, 'written');
    assert.equal(r.tokenCalls, 2, 'one token per domain, shared by every variable');
    const tokenOf = (domain: string) => issued.find((i) => i.startsWith(`${domain}:`))!.slice(domain.length + 1);
    const extra = collection.values.get('PIP_EXTRA_INDEX_URL') ?? '';
    const urls = extra.split(' ');
    assert.equal(urls.length, 2, 'both other repositories, space-separated, in file order');
    assert.ok(urls[0] === `https://aws:${tokenOf('other')}@${HOST2}/pypi/r2/simple/`, 'the other domain\'s repository carries the other domain\'s token');
    assert.ok(urls[1] === `https://aws:${tokenOf('mydomain')}@${HOST}/pypi/r3/simple/`, 'the first domain\'s second repository carries its token');
    assert.ok(collection.values.get('PIP_INDEX_URL') === `https://aws:${tokenOf('mydomain')}@${HOST}/pypi/r/simple/`);
  });

  it('fills every variable with its own domain\'s token, without a review, and replaces them on the next run', async () => {
    const collection = new FakeCollection();
    const plan = planVariables(files, { pip: false, twine: false, explicit: [] });
    const target = new TerminalEnvironmentTarget('terminal-environment:w', 'Terminal environment', 'dev', collection, plan.variables);
    const issued: string[] = [];
    const reviews = { n: 0 };
    const first = await runRefresh([target], ports(issued, reviews), { confirm: true });
    assert.equal(first.outcomes[0].status, 'written');
    assert.equal(first.tokenCalls, 2);
    assert.equal(reviews.n, 0, 'nothing to review: nothing is written to disk');
    assert.deepEqual([...collection.values.keys()].sort(), ['CODEARTIFACT_AUTH_TOKEN', 'OTHER']);
    assert.ok(issued.includes(`mydomain:${collection.values.get('CODEARTIFACT_AUTH_TOKEN')}`), 'CODEARTIFACT_AUTH_TOKEN is mydomain\'s token');
    assert.ok(issued.includes(`other:${collection.values.get('OTHER')}`), 'OTHER is other\'s token');
    const old = collection.values.get('CODEARTIFACT_AUTH_TOKEN');
    const second = await runRefresh([target], ports(issued, reviews), { confirm: true });
    assert.equal(second.outcomes[0].status, 'written');
    assert.ok(collection.values.get('CODEARTIFACT_AUTH_TOKEN') !== old, 'the second run set a new token');
  });

  it('a variable no longer referenced is removed; an outdated read writes nothing', async () => {
    const collection = new FakeCollection();
    const plan = planVariables(files, { pip: false, twine: false, explicit: [] });
    const target = new TerminalEnvironmentTarget('terminal-environment:w', 'Terminal environment', 'dev', collection, plan.variables);
    await runRefresh([target], ports([], { n: 0 }), { confirm: false });
    target.setVariables(planVariables([{ label: 'r.txt', text: files[0].text.split('\n')[0] }], { pip: false, twine: false, explicit: [] }).variables, 'dev');
    assert.deepEqual([...collection.values.keys()], ['CODEARTIFACT_AUTH_TOKEN'], 'removed as soon as no file references it');
    await runRefresh([target], ports([], { n: 0 }), { confirm: false });
    assert.deepEqual([...collection.values.keys()], ['CODEARTIFACT_AUTH_TOKEN']);

    const snapshot = await target.read();
    target.setVariables(plan.variables, 'dev'); // the workspace changed between read and write
    const before = new Map(collection.values);
    await assert.rejects(target.write(snapshot, { after: snapshot.text }), (e) => isRefresherError(e) && e.code === 'ChangedSinceRead');
    assert.deepEqual(collection.values, before);
    target.clear();
    assert.equal(collection.values.size, 0);
  });
});
