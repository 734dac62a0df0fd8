import { simpleParser } from 'mailparser';
import { afterEach, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { startSmtpServer } from '../../../test/support/smtp-server.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { processRequests, signUp, subscriberState, topicId } from './test-support.ts';

describeEachDatabase('the confirmation e-mail over real SMTP', ({ handle }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  it('arrives from the transactional sender with a link that confirms the subscription', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const { app, ctx } = await createTestApp(handle(), {
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, PUBLIC_URL: 'https://dispatch.example.gov' },
    });
    // Closed before the server: the pool's connection ends cleanly.
    cleanups.push(async () => {
      await app.close();
      await ctx.mailer.close();
    });
    expect(ctx.mailer.kind).toBe('smtp');
    await saveSiteSettings(ctx.db, ctx.clock, { ...defaultSiteSettings, transactionalFrom: 'Dispatch <no-reply@example.gov>' });

    await signUp(app, ctx, 'pat@example.org', [await topicId(ctx, 'dispatch'), await topicId(ctx, 'grants')]);
    expect(smtp.received).toEqual([]);
    await processRequests(ctx);

    expect(smtp.received).toHaveLength(1);
    const [delivered] = smtp.received;
    expect(delivered?.from).toBe('no-reply@example.gov');
    expect(delivered?.rcpt).toEqual(['pat@example.org']);
    const parsed = await simpleParser(delivered?.raw ?? '');
    expect(parsed.subject).toBe('Confirm your subscription to Community Policing Dispatch');
    const link = /https:\/\/dispatch\.example\.gov\/subscribe\/confirm\/([A-Za-z0-9_-]{43})(?=\s|$)/m.exec(parsed.text ?? '');
    expect(link).not.toBeNull();
    expect(parsed.text).toContain('Grants and funding');
    expect(typeof parsed.html === 'string' && parsed.html.includes(`href="${link?.[0]}"`)).toBe(true);
    // Nothing in the dev mailbox: it went over SMTP.
    expect(await ctx.db.selectFrom('dev_mail').selectAll().execute()).toEqual([]);

    // The link's path works on this site (the origin is the configured public URL).
    const path = new URL(link?.[0] ?? '').pathname;
    const browser = new Browser(app);
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const confirmed = await browser.post(path, { _csrf: csrf }, { origin: 'https://dispatch.example.gov' });
    expect(confirmed.statusCode).toBe(200);
    expect(await subscriberState(ctx, 'pat@example.org')).toMatchObject({ status: 'active', topics: ['dispatch', 'grants'] });
  });
});
