import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { isBlockedAddress, suppressionOf } from '../../subscriptions/suppression.ts';
import { bounceCounts } from './bounce-counts.ts';
import { type BounceReport, recordBounce } from './record-bounce.ts';
import { bounceTestApp } from './test-support.ts';

const report = (fields: Partial<BounceReport>): BounceReport => ({
  campaignId: 1,
  subscriberId: null,
  kind: 'hard',
  source: 'mailbox',
  statusCode: null,
  diagnostic: '',
  ...fields,
});

describeEachDatabase('recording bounces and complaints', ({ handle }) => {
  it('suppresses on a hard bounce: no longer eligible, and the address cannot subscribe again', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('gone@county-mail.example');
    const kept = await t.subscriber('kept@county-mail.example');
    expect(await t.eligible(id)).toBe(true);

    const result = await recordBounce(
      t.ctx,
      report({ subscriberId: id, kind: 'hard', statusCode: '5.1.1', diagnostic: '550 5.1.1 user unknown' }),
    );
    expect(result).toEqual({ recorded: true, campaignId: 1, subscriberId: id, suppressed: 'hard_bounce' });
    expect(await t.eligible(id)).toBe(false);
    expect(await t.eligible(kept)).toBe(true);
    expect(await isBlockedAddress(t.ctx.db, t.ctx.config.secret, 'gone@county-mail.example')).toBe(true);
    expect(await suppressionOf(t.ctx.db, t.ctx.config.secret, 'gone@county-mail.example')).toBe('hard_bounce');
    expect(await t.bounceRows()).toEqual([
      { campaign_id: 1, subscriber_id: id, kind: 'hard', source: 'mailbox', status_code: '5.1.1', diagnostic: '550 5.1.1 user unknown' },
    ]);
  });

  it('suppresses on a complaint, with the complaint as the reason', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('annoyed@county-mail.example');
    expect((await recordBounce(t.ctx, report({ subscriberId: id, kind: 'complaint', source: 'webhook' }))).suppressed).toBe('complaint');
    expect(await t.eligible(id)).toBe(false);
    expect(await suppressionOf(t.ctx.db, t.ctx.config.secret, 'annoyed@county-mail.example')).toBe('complaint');
  });

  it('suppresses at the SOFT_BOUNCE_LIMIT-th soft bounce, not before', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('full@county-mail.example');
    for (const campaignId of [1, 2]) {
      expect((await recordBounce(t.ctx, report({ campaignId, subscriberId: id, kind: 'soft' }))).suppressed).toBeNull();
      expect(await t.eligible(id)).toBe(true);
    }
    expect((await recordBounce(t.ctx, report({ campaignId: 3, subscriberId: id, kind: 'soft' }))).suppressed).toBe('hard_bounce');
    expect(await t.eligible(id)).toBe(false);
    expect(await isBlockedAddress(t.ctx.db, t.ctx.config.secret, 'full@county-mail.example')).toBe(true);
  });

  it('counts the same report about one delivery once, however often it arrives', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('twice@county-mail.example');
    const soft = report({ campaignId: 9, subscriberId: id, kind: 'soft', source: 'mailbox' });
    expect((await recordBounce(t.ctx, soft)).recorded).toBe(true);
    for (let i = 0; i < 4; i++) expect((await recordBounce(t.ctx, soft)).recorded).toBe(false);
    expect(await t.bounceRows()).toHaveLength(1);
    expect(await t.eligible(id)).toBe(true);
    // Another source or another kind about the same delivery is a different report.
    expect((await recordBounce(t.ctx, { ...soft, source: 'webhook' })).recorded).toBe(true);
    expect(await t.bounceRows()).toHaveLength(2);
  });

  it('stores a report tied to nobody with null ids and acts on nothing', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('reader@county-mail.example');
    const result = await recordBounce(
      t.ctx,
      report({ campaignId: null, kind: 'hard', recipient: 'stranger@nowhere.example', diagnostic: 'x' }),
    );
    expect(result).toEqual({ recorded: true, campaignId: null, subscriberId: null, suppressed: null });
    expect(await t.bounceRows()).toMatchObject([{ campaign_id: null, subscriber_id: null, kind: 'hard' }]);
    expect(await t.eligible(id)).toBe(true);
  });

  it('acts by address only on an authenticated report (the signed webhook), any case', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('pat@county-mail.example');
    const signed = await recordBounce(
      t.ctx,
      report({ campaignId: null, source: 'webhook', kind: 'hard', recipient: 'Pat@County-Mail.example' }),
    );
    expect(signed).toEqual({ recorded: true, campaignId: null, subscriberId: id, suppressed: 'hard_bounce' });
    expect(await t.eligible(id)).toBe(false);
  });

  it('stores a mailbox report that names an address but no genuine delivery, and suppresses nobody', async () => {
    // Anyone can mail the bounce mailbox: a forged "bounce" naming an address must not silence it.
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('lee@county-mail.example');
    const forged = await recordBounce(
      t.ctx,
      report({ campaignId: null, source: 'mailbox', kind: 'complaint', recipient: 'lee@county-mail.example' }),
    );
    expect(forged).toEqual({ recorded: true, campaignId: null, subscriberId: null, suppressed: null });
    expect(await t.eligible(id)).toBe(true);
    expect(await t.bounceRows()).toHaveLength(1);
  });

  it('keeps the diagnostic short and printable', async () => {
    const t = await bounceTestApp(handle());
    await recordBounce(t.ctx, report({ diagnostic: `550\u001b[31m ${'x'.repeat(2000)}\r\n` }));
    const [row] = await t.bounceRows();
    expect(row?.diagnostic).toHaveLength(500);
    expect(row?.diagnostic).toMatch(/^550 \[31m x+…$/);
  });

  it('rolls back with the caller: nothing is suppressed when its transaction fails', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('rollback@county-mail.example');
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await recordBounce(t.ctx, report({ subscriberId: id, kind: 'hard' }), trx);
        throw new Error('the caller failed afterwards');
      }),
    ).rejects.toThrow('the caller failed');
    expect(await t.bounceRows()).toEqual([]);
    expect(await t.eligible(id)).toBe(true);
  });

  it('counts a campaign’s bounced recipients by kind', async () => {
    const t = await bounceTestApp(handle());
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => t.subscriber(`${n}@county-mail.example`)));
    await recordBounce(t.ctx, report({ campaignId: 5, subscriberId: a as string, kind: 'hard', source: 'smtp' }));
    await recordBounce(t.ctx, report({ campaignId: 5, subscriberId: b as string, kind: 'soft' }));
    await recordBounce(t.ctx, report({ campaignId: 5, subscriberId: b as string, kind: 'soft', source: 'webhook' }));
    await recordBounce(t.ctx, report({ campaignId: 5, subscriberId: c as string, kind: 'complaint' }));
    await recordBounce(t.ctx, report({ campaignId: 6, subscriberId: c as string, kind: 'hard' }));
    expect(await bounceCounts(t.ctx, 5)).toEqual({ hard: 1, soft: 1, complaint: 1 });
    expect(await bounceCounts(t.ctx, 6)).toEqual({ hard: 1, soft: 0, complaint: 0 });
    expect(await bounceCounts(t.ctx, 7)).toEqual({ hard: 0, soft: 0, complaint: 0 });
  });
});
