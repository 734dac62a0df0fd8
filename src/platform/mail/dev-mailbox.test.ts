import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import { countDevMail, getDevMail, listDevMail, parseDevMail } from './dev-mailbox.ts';
import { createMailer, type Mailer } from './mailer.ts';

describeEachDatabase('dev mailbox', ({ handle }) => {
  let mailer: Mailer | undefined;
  afterEach(async () => {
    await mailer?.close();
  });

  it('stores sent mail and lists, counts, gets and parses it', async () => {
    const { db } = handle();
    const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
    mailer = createMailer({ db, clock });
    expect(mailer.kind).toBe('dev-mailbox');

    await mailer.send({
      from: 'Dispatch <dispatch@example.org>',
      to: 'first@example.com',
      subject: 'First',
      text: 'one',
    });
    clock.advance(60_000);
    const second = await mailer.send({
      from: 'Dispatch <dispatch@example.org>',
      to: ['a@example.com', 'B <b@example.com>'],
      subject: 'Second — ünïcode',
      text: 'two\nlines',
      html: '<p>two</p>',
      headers: { 'X-Dispatch-Kind': 'digest' },
    });

    expect(await countDevMail(db)).toBe(2);
    const list = await listDevMail(db, { limit: 10, offset: 0 });
    expect(list.map((m) => m.subject)).toEqual(['Second — ünïcode', 'First']);
    expect(list[0]).toEqual({
      id: expect.any(Number),
      created_at: '2026-03-01T09:01:00.000Z',
      sender: 'dispatch@example.org',
      recipients: 'a@example.com, b@example.com',
      subject: 'Second — ünïcode',
    });
    expect(list[0]).not.toHaveProperty('raw');
    expect((await listDevMail(db, { limit: 1, offset: 1 })).map((m) => m.subject)).toEqual(['First']);

    const id = list[0]?.id ?? -1;
    const stored = await getDevMail(db, id);
    expect(stored?.subject).toBe('Second — ünïcode');
    expect(stored?.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(stored?.raw).not.toContain('\r\n');

    const parsed = await parseDevMail(stored?.raw ?? '');
    expect(parsed.subject).toBe('Second — ünïcode');
    expect(parsed.from).toBe('"Dispatch" <dispatch@example.org>'); // mailparser quotes display names
    expect(parsed.to).toBe('a@example.com, "B" <b@example.com>');
    expect(parsed.date?.toISOString()).toBe('2026-03-01T09:01:00.000Z');
    expect(parsed.text?.trim()).toBe('two\nlines');
    expect(parsed.html).toBe('<p>two</p>');
    expect(parsed.headers).toContainEqual(['X-Dispatch-Kind', 'digest']);
    expect(parsed.headers).toContainEqual(['Subject', 'Second — ünïcode']);
    expect(parsed.headers).toContainEqual(['Message-ID', second.messageId]);
  });

  it('lists newest first even when messages share a timestamp', async () => {
    const { db } = handle();
    mailer = createMailer({ db, clock: new FixedClock() });
    for (const subject of ['a', 'b', 'c'])
      await mailer.send({
        from: 'x@example.org',
        to: 'y@example.org',
        subject,
        text: subject,
      });
    expect((await listDevMail(db, { limit: 10, offset: 0 })).map((m) => m.subject)).toEqual(['c', 'b', 'a']);
  });

  it('returns undefined for an unknown id', async () => {
    const { db } = handle();
    mailer = createMailer({ db, clock: new FixedClock() });
    await mailer.send({
      from: 'x@example.org',
      to: 'y@example.org',
      subject: 'only',
      text: 'only',
    });
    const [only] = await listDevMail(db, { limit: 1, offset: 0 });
    expect(only).toBeDefined();
    expect(await getDevMail(db, (only?.id ?? 0) + 1000)).toBeUndefined();
    expect(await getDevMail(db, Number.NaN)).toBeUndefined();
    expect(await countDevMail(db)).toBe(1);
  });
});

describe('parseDevMail', () => {
  it('reports no html for a text-only message and shows repeated headers line by line', async () => {
    const raw = [
      'Received: from a by b',
      'Received: from c',
      '  by d',
      'From: x@example.org',
      'To: y@example.org',
      'Subject: =?UTF-8?Q?caf=C3=A9?=',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'hello',
      '',
    ].join('\n');
    const parsed = await parseDevMail(raw);
    expect(parsed.subject).toBe('café');
    expect(parsed.html).toBeUndefined();
    expect(parsed.text?.trim()).toBe('hello');
    expect(parsed.headers.slice(0, 2)).toEqual([
      ['Received', 'from a by b'],
      ['Received', 'from c by d'],
    ]);
    expect(parsed.headers).toContainEqual(['Subject', 'café']);
  });
});
