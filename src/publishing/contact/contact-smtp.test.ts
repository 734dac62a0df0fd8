import { simpleParser } from 'mailparser';
import { afterEach, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { startSmtpServer } from '../../../test/support/smtp-server.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';

describeEachDatabase('Contact Us over real SMTP', ({ handle }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  it('delivers the message to the editorial board over SMTP with Reply-To set to the sender', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const { app, ctx } = await createTestApp(handle(), { env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
    // Closed before the server: the pool's connection ends cleanly.
    cleanups.push(async () => {
      await app.close();
      await ctx.mailer.close();
    });
    expect(ctx.mailer.kind).toBe('smtp');
    await saveSiteSettings(ctx.db, ctx.clock, {
      ...defaultSiteSettings,
      editorialBoardEmail: 'board@example.gov',
      transactionalFrom: 'Dispatch <no-reply@example.gov>',
    });

    const response = await new Browser(app).submit('/contact', '/contact', {
      name: 'Pat Officer',
      email: 'pat@example.org',
      subject: 'Toolkit question',
      message: 'Where can I find the toolkit?',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('The editorial board will reply by e-mail');

    expect(smtp.received).toHaveLength(1);
    const [delivered] = smtp.received;
    expect(delivered?.from).toBe('no-reply@example.gov');
    expect(delivered?.rcpt).toEqual(['board@example.gov']);
    const parsed = await simpleParser(delivered?.raw ?? '');
    expect(parsed.subject).toBe('[Contact] Toolkit question');
    expect(parsed.replyTo?.text).toBe('pat@example.org');
    expect(parsed.text).toContain('Where can I find the toolkit?');
    // Sent over SMTP, so nothing was captured in the dev mailbox; the inbox still has the message.
    expect(await ctx.db.selectFrom('dev_mail').selectAll().execute()).toEqual([]);
    expect(await ctx.db.selectFrom('publishing_contact_messages').select(['email', 'status']).execute()).toEqual([
      { email: 'pat@example.org', status: 'new' },
    ]);
  });
});
