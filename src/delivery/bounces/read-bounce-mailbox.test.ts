import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it, onTestFinished } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { createJobRunner } from '../../jobs.ts';
import { FixedClock } from '../../platform/clock.ts';
import { isBlockedAddress } from '../../subscriptions/suppression.ts';
import { deliveryToken } from './delivery-token.ts';
import { READ_BOUNCE_MAILBOX_JOB, readBounceMailbox } from './read-bounce-mailbox.ts';
import { bounceTestApp, fixture } from './test-support.ts';

function maildir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dispatch-bounces-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(root, sub));
  return root;
}

const list = (dir: string) => readdirSync(dir).sort();

describeEachDatabase('the bounce mailbox reader', ({ handle }) => {
  it('records every report in a maildir, moves each file, and sets aside what is not a message', async () => {
    const t = await bounceTestApp(handle());
    const secret = t.ctx.config.secret;
    const people = {
      postfix: await t.subscriber('postfix@county-mail.example'),
      exchange: await t.subscriber('exchange@county-mail.example'),
      complainer: await t.subscriber('complainer@county-mail.example'),
      delayed: await t.subscriber('delayed@county-mail.example'),
      bystander: await t.subscriber('bystander@county-mail.example'),
    };
    const token = (subscriberId: string) => deliveryToken(secret, { campaignId: 12, subscriberId });
    const root = maildir();
    const write = (name: string, text: string | Buffer) => writeFileSync(path.join(root, 'new', name), text);
    write('1784037731.M1P1.relay', fixture('postfix-hard.eml', { token: token(people.postfix), recipient: 'postfix@county-mail.example' }));
    write(
      '1784037932.M2P1.relay',
      fixture('exchange-hard.eml', { token: token(people.exchange), recipient: 'exchange@county-mail.example' }),
    );
    write('1784038000.M3P1.relay', fixture('arf-abuse.eml', { token: token(people.complainer) }));
    write(
      '1784038100.M4P1.relay',
      fixture('postfix-delayed.eml', { token: token(people.delayed), recipient: 'delayed@county-mail.example' }),
    );
    write('1784038200.M5P1.relay', fixture('forwarded-hard.eml', { recipient: 'stranger@nowhere.example' }));
    write(
      '1784038300.M6P1.relay',
      fixture('out-of-office.eml', { token: token(people.bystander), recipient: 'bystander@county-mail.example' }),
    );
    write('1784038400.M7P1.relay', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
    writeFileSync(path.join(root, 'cur', '1784038500.M8P1.relay:2,S'), 'not a message at all\n');

    const counts = await readBounceMailbox(t.ctx, { directory: root });
    expect(counts).toEqual({ processed: 6, ignored: 1, unreadable: 2, failed: 0, hard: 3, soft: 1, complaint: 1, remaining: 0 });

    expect(list(path.join(root, 'new'))).toEqual([]);
    expect(list(path.join(root, 'cur'))).toEqual([]);
    expect(list(path.join(root, 'processed'))).toHaveLength(6);
    expect(list(path.join(root, 'unreadable'))).toEqual(['1784038400.M7P1.relay', '1784038500.M8P1.relay:2,S']);
    // Moved, not rewritten.
    expect(readFileSync(path.join(root, 'unreadable', '1784038500.M8P1.relay:2,S'), 'utf8')).toBe('not a message at all\n');

    expect(await t.eligible(people.postfix)).toBe(false);
    expect(await t.eligible(people.exchange)).toBe(false);
    expect(await t.eligible(people.complainer)).toBe(false);
    expect(await t.eligible(people.delayed)).toBe(true);
    expect(await t.eligible(people.bystander)).toBe(true);
    expect(await isBlockedAddress(t.ctx.db, secret, 'complainer@county-mail.example')).toBe(true);

    const rows = await t.bounceRows();
    expect(rows.map((r) => [r.subscriber_id, r.kind, r.source])).toEqual([
      [people.postfix, 'hard', 'mailbox'],
      [people.exchange, 'hard', 'mailbox'],
      [people.complainer, 'complaint', 'mailbox'],
      [people.delayed, 'soft', 'mailbox'],
      [null, 'hard', 'mailbox'],
    ]);
    expect(rows[4]).toMatchObject({ campaign_id: null, status_code: '5.1.1', diagnostic: '550 5.1.1 Mailbox does not exist' });
  });

  it('does not count a report twice when the same file arrives again, and never overwrites a processed file', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('soft@county-mail.example');
    const root = maildir();
    const message = fixture('postfix-delayed.eml', { token: deliveryToken(t.ctx.config.secret, { campaignId: 3, subscriberId: id }) });
    writeFileSync(path.join(root, 'new', 'same-name'), message);
    await readBounceMailbox(t.ctx, { directory: root });
    writeFileSync(path.join(root, 'new', 'same-name'), message);
    await readBounceMailbox(t.ctx, { directory: root });

    expect(list(path.join(root, 'processed'))).toEqual(['same-name', 'same-name.1']);
    expect(await t.bounceRows()).toHaveLength(1);
  });

  it('suppresses after SOFT_BOUNCE_LIMIT soft bounces from different sends', async () => {
    const t = await bounceTestApp(handle());
    const id = await t.subscriber('quota@county-mail.example');
    const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-bounces-plain-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const campaignId of [1, 2]) {
      const token = deliveryToken(t.ctx.config.secret, { campaignId, subscriberId: id });
      writeFileSync(path.join(dir, `soft-${campaignId}.eml`), fixture('qmail-soft.eml', { token }));
    }
    expect(await readBounceMailbox(t.ctx, { directory: dir })).toMatchObject({ processed: 2, soft: 2 });
    expect(await t.eligible(id)).toBe(true);

    const token = deliveryToken(t.ctx.config.secret, { campaignId: 3, subscriberId: id });
    writeFileSync(path.join(dir, 'soft-3.eml'), fixture('qmail-soft.eml', { token }));
    expect(await readBounceMailbox(t.ctx, { directory: dir })).toMatchObject({ processed: 1, soft: 1 });
    expect(await t.eligible(id)).toBe(false);
    // A plain directory keeps its processed files in a subdirectory it does not read again.
    expect(list(dir)).toEqual(['processed']);
    expect(list(path.join(dir, 'processed'))).toEqual(['soft-1.eml', 'soft-2.eml', 'soft-3.eml']);
  });

  it('leaves a file in place when its report cannot be stored, and carries on', async () => {
    const t = await bounceTestApp(handle());
    const root = maildir();
    writeFileSync(path.join(root, 'new', 'a'), fixture('forwarded-hard.eml', { recipient: 'x@nowhere.example' }));
    await sql`drop table delivery_bounces`.execute(t.ctx.db);

    const counts = await readBounceMailbox(t.ctx, { directory: path.join(root, 'new') });
    expect(counts).toMatchObject({ processed: 0, failed: 1, unreadable: 0 });
    expect(list(path.join(root, 'new'))).toEqual(['a']);
  });

  it('stops at its file budget and says how many are left', async () => {
    const t = await bounceTestApp(handle());
    const root = maildir();
    for (const n of [1, 2, 3]) writeFileSync(path.join(root, 'new', `m${n}`), fixture('out-of-office.eml'));
    expect(await readBounceMailbox(t.ctx, { directory: root, maxFiles: 2 })).toMatchObject({ processed: 2, ignored: 2, remaining: 1 });
    expect(list(path.join(root, 'new'))).toEqual(['m3']);
  });

  it('runs every minute as a job when BOUNCE_MAILDIR is set, and is not scheduled when it is not', async () => {
    const root = maildir();
    const clock = new FixedClock(new Date('2026-07-14T14:00:30Z'));
    const t = await bounceTestApp(handle(), { env: { BOUNCE_MAILDIR: root }, clock });
    const id = await t.subscriber('job@county-mail.example');
    writeFileSync(
      path.join(root, 'new', 'm1'),
      fixture('postfix-hard.eml', { token: deliveryToken(t.ctx.config.secret, { campaignId: 1, subscriberId: id }) }),
    );

    const runner = await createJobRunner(t.ctx);
    const schedule = await t.ctx.db
      .selectFrom('job_schedules')
      .select(['cron'])
      .where('name', '=', READ_BOUNCE_MAILBOX_JOB)
      .executeTakeFirst();
    expect(schedule).toEqual({ cron: '* * * * *' });
    clock.advance(60_000);
    await runner.fireDueSchedules();
    while ((await runner.runOnce()) > 0);
    const job = await t.ctx.db.selectFrom('jobs').select('status').where('name', '=', READ_BOUNCE_MAILBOX_JOB).executeTakeFirst();
    expect(job).toEqual({ status: 'done' });
    expect(await t.eligible(id)).toBe(false);
    expect(list(path.join(root, 'processed'))).toEqual(['m1']);
  });
});

describeEachDatabase('the bounce mailbox job without a mailbox', ({ handle }) => {
  it('is not scheduled', async () => {
    const t = await bounceTestApp(handle());
    await createJobRunner(t.ctx);
    const schedule = await t.ctx.db
      .selectFrom('job_schedules')
      .select('name')
      .where('name', '=', READ_BOUNCE_MAILBOX_JOB)
      .executeTakeFirst();
    expect(schedule).toBeUndefined();
    expect(await readBounceMailbox(t.ctx)).toMatchObject({ processed: 0, failed: 0 });
  });
});
