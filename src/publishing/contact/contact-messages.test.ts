import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { loadConfig } from '../../config.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { parseDevMail } from '../../platform/mail/dev-mailbox.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { createRuntime } from '../../server.ts';
import { changeContactStatus } from './change-contact-status.ts';
import { getContactMessage } from './get-contact-message.ts';
import { listContactMessages } from './list-contact-messages.ts';
import { type ContactSubmission, submitContactMessage } from './submit-contact-message.ts';

const BOARD = 'board@example.gov';
const FROM = 'Dispatch <no-reply@example.gov>';
const editor = { id: 'editor-1', email: 'editor@example.gov' };

const valid: ContactSubmission = {
  name: 'Pat Officer',
  email: 'pat@example.org',
  subject: 'A question about school safety',
  message: 'Hello,\r\n\r\nWhere can I find the toolkit?\r\nThanks',
};

/** The use-case context on a test database, with a logger whose lines the test can read. */
async function contextOn(database: DatabaseHandle) {
  const logLines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const clock = new FixedClock(new Date('2026-03-02T10:00:00.000Z'));
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://dispatch.example.gov' });
  const { ctx } = createRuntime(config, { database, clock, logger });
  // Not the defaults, so the test shows the addresses come from the settings an administrator edits.
  await saveSiteSettings(ctx.db, clock, { ...defaultSiteSettings, editorialBoardEmail: BOARD, transactionalFrom: FROM });
  return { ctx, clock, logLines };
}

async function countRows(ctx: AppContext) {
  const [messages, mail] = await Promise.all([
    ctx.db
      .selectFrom('publishing_contact_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('dev_mail')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { messages: Number(messages.n), mail: Number(mail.n) };
}

async function validationFields(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION');
  return (error as AppError).fields;
}

describeEachDatabase('Contact Us messages', ({ handle }) => {
  const mailers: Mailer[] = [];
  afterEach(async () => {
    while (mailers.length) await mailers.pop()?.close();
  });
  const setup = async () => {
    const context = await contextOn(handle());
    mailers.push(context.ctx.mailer);
    return context;
  };

  it('stores a message as new and e-mails it to the editorial board with Reply-To set to the sender', async () => {
    const { ctx } = await setup();
    const result = await submitContactMessage(ctx, { ...valid, email: '  Pat@Example.org ' });
    expect(result).toEqual({ kind: 'received', id: expect.any(Number), mailed: true });
    if (result.kind !== 'received') throw new Error('unreachable');

    const stored = await getContactMessage(ctx, result.id);
    expect(stored).toEqual({
      id: result.id,
      created_at: '2026-03-02T10:00:00.000Z',
      updated_at: '2026-03-02T10:00:00.000Z',
      name: 'Pat Officer',
      email: 'pat@example.org',
      subject: 'A question about school safety',
      // Line breaks arrive from browsers as CR LF and are kept as LF.
      message: 'Hello,\n\nWhere can I find the toolkit?\nThanks',
      status: 'new',
    });

    const mail = await ctx.db.selectFrom('dev_mail').selectAll().execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.recipients).toBe(BOARD);
    expect(mail[0]?.sender).toBe('no-reply@example.gov');
    const parsed = await parseDevMail(mail[0]?.raw ?? '');
    expect(parsed.subject).toBe('[Contact] A question about school safety');
    expect(parsed.headers).toContainEqual(['Reply-To', 'pat@example.org']);
    expect(parsed.from).toBe('"Dispatch" <no-reply@example.gov>');
    expect(parsed.text).toContain('Name: Pat Officer');
    expect(parsed.text).toContain('E-mail: pat@example.org');
    expect(parsed.text).toContain('Where can I find the toolkit?');
    expect(parsed.text).toContain(`https://dispatch.example.gov/admin/contact/${result.id}`);
  });

  it('turns line breaks in the subject into spaces, so the mail goes out with one Subject line', async () => {
    const { ctx } = await setup();
    const result = await submitContactMessage(ctx, { ...valid, name: '', subject: 'Hello\r\nBcc: victim@example.com' });
    expect(result).toMatchObject({ kind: 'received', mailed: true });
    const row = await ctx.db.selectFrom('publishing_contact_messages').selectAll().executeTakeFirstOrThrow();
    expect(row.subject).toBe('Hello Bcc: victim@example.com');
    expect(row.name).toBe('');
    const mail = await ctx.db.selectFrom('dev_mail').selectAll().executeTakeFirstOrThrow();
    expect(mail.recipients).toBe(BOARD);
    const parsed = await parseDevMail(mail.raw);
    expect(parsed.subject).toBe('[Contact] Hello Bcc: victim@example.com');
    expect(parsed.headers.filter(([name]) => name.toLowerCase() === 'bcc')).toEqual([]);
    expect(parsed.text).toContain('Name: (not given)');
  });

  it('refuses invalid input with a message per field and stores and sends nothing', async () => {
    const { ctx } = await setup();
    expect(await validationFields(submitContactMessage(ctx, { email: '', subject: ' ', message: '\r\n' }))).toEqual({
      email: 'Enter your e-mail address.',
      subject: 'Enter a subject.',
      message: 'Enter your message.',
    });
    expect((await validationFields(submitContactMessage(ctx, { ...valid, email: 'not-an-address' }))).email).toBe(
      'Enter an e-mail address like name@example.gov.',
    );
    const addressOf = (length: number) => `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 197)}.gov`;
    const tooLongAddress = addressOf(255);
    expect(tooLongAddress).toHaveLength(255);
    expect((await validationFields(submitContactMessage(ctx, { ...valid, email: tooLongAddress }))).email).toBe(
      'An e-mail address has at most 254 characters.',
    );
    expect(await validationFields(submitContactMessage(ctx, { ...valid, name: 'n'.repeat(201), subject: 's'.repeat(201) }))).toEqual({
      name: 'Use at most 200 characters for your name.',
      subject: 'Use at most 200 characters for the subject.',
    });
    expect(Object.keys(await validationFields(submitContactMessage(ctx, { ...valid, message: 'm'.repeat(5001) })))).toEqual(['message']);
    expect(await countRows(ctx)).toEqual({ messages: 0, mail: 0 });

    // The limits themselves are accepted, and a CR LF counts as one character as in the browser.
    await submitContactMessage(ctx, { ...valid, subject: 's'.repeat(200), message: 'm'.repeat(5000) });
    await submitContactMessage(ctx, { ...valid, message: 'line\r\n'.repeat(1000) });
    await submitContactMessage(ctx, { ...valid, email: addressOf(254) });
    expect(await countRows(ctx)).toEqual({ messages: 3, mail: 3 });
  });

  it('stores and sends nothing when the hidden field is filled in, and logs that at info level', async () => {
    const { ctx, logLines } = await setup();
    const result = await submitContactMessage(ctx, { ...valid, honeypot: 'https://spam.example' });
    expect(result).toEqual({ kind: 'discarded' });
    expect(await countRows(ctx)).toEqual({ messages: 0, mail: 0 });
    const line = logLines.find((l) => l.msg.includes('hidden field filled in'));
    expect(line?.level).toBe(30);
    // Even an otherwise invalid submission from a bot gets no validation feedback.
    expect(await submitContactMessage(ctx, { email: '', subject: '', message: '', honeypot: 'x' })).toEqual({ kind: 'discarded' });
  });

  it('keeps the message when the mail cannot be sent, and logs the failure', async () => {
    const { ctx, logLines } = await setup();
    const failing: Mailer = {
      kind: 'smtp',
      send: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      },
      close: async () => {},
    };
    const result = await submitContactMessage({ ...ctx, mailer: failing }, valid);
    expect(result).toMatchObject({ kind: 'received', mailed: false });
    expect(await countRows(ctx)).toEqual({ messages: 1, mail: 0 });
    const line = logLines.find((l) => l.level === 50);
    expect(line?.msg).toContain('not e-mailed');
    expect(line?.contactMessageId).toBe(result.kind === 'received' ? result.id : -1);
  });

  it('changes a status and audits it; the same status again records nothing', async () => {
    const { ctx } = await setup();
    const result = await submitContactMessage(ctx, valid);
    if (result.kind !== 'received') throw new Error('expected a stored message');
    const change = { id: result.id, actor: editor, ip: '198.51.100.4' };

    expect(await changeContactStatus(ctx, { ...change, status: 'answered' })).toEqual({ from: 'new', to: 'answered', changed: true });
    expect((await getContactMessage(ctx, result.id)).status).toBe('answered');
    expect(await changeContactStatus(ctx, { ...change, status: 'answered' })).toMatchObject({ changed: false });

    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'contact.status_changed').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: editor.email,
      actor_user_id: editor.id,
      subject_type: 'contact_message',
      subject_id: String(result.id),
    });
    expect(JSON.parse(audit[0]?.details ?? '{}')).toEqual({ from: 'new', to: 'answered' });

    expect(await validationFields(changeContactStatus(ctx, { ...change, status: 'deleted' }))).toEqual({
      status: 'Choose new, answered or archived.',
    });
    await expect(changeContactStatus(ctx, { ...change, id: result.id + 100, status: 'archived' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(getContactMessage(ctx, Number.NaN)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists newest first, filters by status, counts each status and pages', async () => {
    const { ctx, clock } = await setup();
    const ids: number[] = [];
    for (const subject of ['first', 'second', 'third', 'fourth']) {
      const result = await submitContactMessage(ctx, { ...valid, subject });
      if (result.kind === 'received') ids.push(result.id);
      clock.advance(60_000);
    }
    await changeContactStatus(ctx, { id: ids[1] as number, status: 'answered', actor: editor });
    await changeContactStatus(ctx, { id: ids[2] as number, status: 'archived', actor: editor });

    const subjects = async (status: 'new' | 'answered' | 'archived' | 'all', page = 1, pageSize = 10) =>
      (await listContactMessages(ctx, { status, page, pageSize })).messages.map((m) => m.subject);
    expect(await subjects('all')).toEqual(['fourth', 'third', 'second', 'first']);
    expect(await subjects('new')).toEqual(['fourth', 'first']);
    expect(await subjects('answered')).toEqual(['second']);
    expect(await subjects('archived')).toEqual(['third']);

    const firstPage = await listContactMessages(ctx, { status: 'all', page: 1, pageSize: 3 });
    expect(firstPage).toMatchObject({ total: 4, page: 1, pageCount: 2, counts: { new: 2, answered: 1, archived: 1 } });
    expect(firstPage.messages[0]).toEqual({
      id: ids[3],
      created_at: '2026-03-02T10:03:00.000Z',
      name: 'Pat Officer',
      email: 'pat@example.org',
      subject: 'fourth',
      status: 'new',
    });
    expect(await subjects('all', 2, 3)).toEqual(['first']);
    expect(await listContactMessages(ctx, { status: 'new', page: 1, pageSize: 1 })).toMatchObject({ total: 2, pageCount: 2 });
    await expect(listContactMessages(ctx, { status: 'all', page: 0, pageSize: 3 })).rejects.toThrow(RangeError);
  });
});
