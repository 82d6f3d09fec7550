/** Two writers refresh the same object with the same read ETag, many rounds: exactly one wins each round. */
import assert from 'node:assert/strict';
import { createAwsServices } from '../../src/aws';
import type { AwsServices } from '../../src/aws/api';
import { isRefresherError } from '../../src/core/errors';
import type { Sandbox } from '../support/sandbox';
import { getSandbox } from './fixture';
import { bytesDirect, freshKey, putDirect } from './awsHelpers';

const ROUNDS = 25;

describe('aws layer: concurrent conditional writers (radosgw + If-Match proxy)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let a: AwsServices;
  let b: AwsServices;

  before(async function () {
    this.timeout(120_000);
    sb = await getSandbox();
    a = createAwsServices({ env: sb.env });
    b = createAwsServices({ env: sb.env });
  });
  after(() => {
    a?.dispose();
    b?.dispose();
  });

  it(`exactly one of two writers wins, ${ROUNDS} rounds; the other gets ChangedSinceRead; the winner's text stays`, async () => {
    const key = freshKey('race');
    await putDirect(sb, key, 'round 0\n', { ContentType: 'text/plain' });
    let wins = 0;
    let lost = 0;
    const t0 = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      const readA = await a.readObject({ bucket: sb.bucket, key }, { profile: 'dev' });
      const readB = await b.readObject({ bucket: sb.bucket, key }, { profile: 'ops' });
      assert.equal(readA.etag, readB.etag);
      const texts = [`round ${round} by A\n`, `round ${round} by B\n`];
      const results = await Promise.allSettled([a.writeObject(readA, texts[0], { profile: 'dev' }), b.writeObject(readB, texts[1], { profile: 'ops' })]);
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      const losers = results.filter((r) => r.status === 'rejected' && isRefresherError(r.reason) && r.reason.code === 'ChangedSinceRead');
      assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
      assert.equal(losers.length, 1, `round ${round}: the loser did not get ChangedSinceRead`);
      assert.equal((await bytesDirect(sb, key)).toString('utf8'), texts[winners[0]]);
      wins++;
      lost++;
    }
    console.log(`      race: ${ROUNDS} rounds, ${wins} single winners, ${lost} ChangedSinceRead, ${Date.now() - t0} ms`);
  });
});
