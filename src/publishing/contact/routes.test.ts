import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { Browser, createStaff, createTestApp, withoutPerRequestSecrets } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import type { AppContext } from '../../platform/context.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { CONTACT_MESSAGES_PER_HOUR } from './routes.ts';

const message = {
  name: 'Pat Officer',
  email: 'pat@example.org',
  subject: 'A question about school safety',
  message: 'Where can I find the toolkit?',
};

async function storedMessages(ctx: AppContext) {
  return ctx.db.selectFrom('publishing_contact_messages').selectAll().orderBy('id').execute();
}

async function mailCount(ctx: AppContext) {
  const row = await ctx.db
    .selectFrom('dev_mail')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDatabase('Contact Us over HTTP', ({ handle }) => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const start = async () => {
    const created = await createTestApp(handle());
    app = created.app;
    return created;
  };

  it('shows the contact details from the settings above a form with a hidden, unreachable trap field', async () => {
    const { app, ctx } = await start();
    await saveSiteSettings(ctx.db, ctx.clock, {
      ...defaultSiteSettings,
      editorialBoardEmail: 'board@example.gov',
      responseCenterPhone: '202-555-0100',
    });
    const page = await new Browser(app).get('/contact');
    expect(page.statusCode).toBe(200);
    const main = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
    expect(main).toContain('<h1>Contact Us</h1>');
    expect(main).toContain('href="mailto:board@example.gov"');
    expect(main).toContain('href="tel:2025550100"');
    for (const name of ['name', 'email', 'subject', 'message', '_csrf']) expect(main).toContain(`name="${name}"`);
    expect(main).toMatch(/<textarea[^>]*name="message"/);
    expect(main).toMatch(/<div class="usa-sr-only" aria-hidden="true">\s*<label for="field-website">/);
    expect(main).toMatch(/<input id="field-website" name="website" type="text" tabindex="-1" autocomplete="off"/);
  });

  it('stores a posted message, mails the board and thanks the sender', async () => {
    const { app, ctx } = await start();
    const response = await new Browser(app).submit('/contact', '/contact', message);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('The editorial board will reply by e-mail');
    expect(await storedMessages(ctx)).toMatchObject([{ ...message, status: 'new' }]);
    expect(await mailCount(ctx)).toBe(1);
  });

  it('answers a filled-in trap field with the same thank-you page, storing and sending nothing', async () => {
    const { app, ctx } = await start();
    const real = await new Browser(app).submit('/contact', '/contact', message);
    const trapped = await new Browser(app).submit('/contact', '/contact', { ...message, website: 'https://spam.example' });
    expect(trapped.statusCode).toBe(200);
    expect(withoutPerRequestSecrets(trapped.body)).toBe(withoutPerRequestSecrets(real.body));
    expect(await storedMessages(ctx)).toHaveLength(1);
    expect(await mailCount(ctx)).toBe(1);
  });

  it('re-shows the form with 400, a message per field and what was typed, storing nothing', async () => {
    const { app, ctx } = await start();
    const response = await new Browser(app).submit('/contact', '/contact', {
      ...message,
      email: 'pat at example',
      subject: 'About "quotes" & <tags>',
      message: 'Line one\r\nLine <b>two</b>',
      website: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="error-summary"');
    expect(response.body).toContain('<a href="#field-email">Enter an e-mail address like name@example.gov.</a>');
    expect(response.body).toMatch(
      /<input class="usa-input usa-input--error" id="field-email" name="email" type="email" value="pat at example"/,
    );
    expect(response.body).toContain('aria-invalid="true"');
    expect(response.body).toContain('value="About &quot;quotes&quot; &amp; &lt;tags>"');
    expect(response.body).toMatch(/<textarea[^>]*name="message"[^>]*>Line one\r?\nLine &lt;b>two&lt;\/b><\/textarea>/);
    expect(response.body).toContain('value="Pat Officer"');
    expect(await storedMessages(ctx)).toEqual([]);
    expect(await mailCount(ctx)).toBe(0);
  });

  it(`accepts ${CONTACT_MESSAGES_PER_HOUR} posts an hour from one address and refuses the next`, async () => {
    const { app } = await start();
    expect(CONTACT_MESSAGES_PER_HOUR).toBe(5);
    const browser = new Browser(app);
    browser.ip = '203.0.113.9';
    for (let i = 1; i <= CONTACT_MESSAGES_PER_HOUR; i++) {
      const response = await browser.submit('/contact', '/contact', { ...message, subject: `Message ${i}` });
      expect(response.statusCode, `post ${i}`).toBe(200);
    }
    const over = await browser.submit('/contact', '/contact', { ...message, subject: 'One too many' });
    expect(over.statusCode).toBe(429);
    expect(over.body).toContain('too many attempts');
    // The form itself still opens, and another address is not affected.
    expect((await browser.get('/contact')).statusCode).toBe(200);
    const other = new Browser(app);
    other.ip = '203.0.113.10';
    expect((await other.submit('/contact', '/contact', message)).statusCode).toBe(200);
  });

  it('lets editors read the inbox and change a status; escapes markup people sent', async () => {
    const { app, ctx } = await start();
    await new Browser(app).submit('/contact', '/contact', {
      name: '<script>alert("name")</script>',
      email: 'pat@example.org',
      subject: '<img src=x onerror=alert(1)>',
      message: '<script>alert("message")</script>\n\n"><svg onload=alert(2)>',
    });
    const [stored] = await storedMessages(ctx);
    if (!stored) throw new Error('the message was not stored');

    // Not signed in: sent to sign in; the inbox is for staff only.
    const anonymous = await new Browser(app).get('/admin/contact');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fcontact');

    const staff = await createStaff(ctx, 'editor');
    const editor = new Browser(app);
    expect((await editor.signIn(staff.email, staff.password)).statusCode).toBe(303);

    const inbox = await editor.get('/admin/contact');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(`href="/admin/contact/${stored.id}"`);
    expect(inbox.body).toContain('&lt;script>alert(&quot;name&quot;)&lt;/script>');
    expect(inbox.body).toContain('&lt;img src=x onerror=alert(1)>');

    const detail = await editor.get(`/admin/contact/${stored.id}`);
    expect(detail.statusCode).toBe(200);
    for (const page of [inbox.body, detail.body]) {
      expect(page).not.toMatch(/<script>alert/);
      expect(page).not.toMatch(/<(img|svg)\b[^>]*\son\w+=/i);
    }
    expect(detail.body).toContain('&lt;script>alert(&quot;message&quot;)&lt;/script>');
    expect(detail.body).toContain('&quot;>&lt;svg onload=alert(2)>');

    const changed = await editor.submit(`/admin/contact/${stored.id}`, `/admin/contact/${stored.id}/status`, { status: 'answered' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`/admin/contact/${stored.id}?changed=answered`);
    expect((await editor.get(changed.headers.location as string)).body).toContain('Marked as answered.');
    expect((await storedMessages(ctx))[0]?.status).toBe('answered');
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'contact.status_changed').execute();
    expect(audit).toMatchObject([{ actor: staff.email, subject_id: String(stored.id) }]);

    // The default view shows new messages only; the filter finds the answered one.
    expect((await editor.get('/admin/contact')).body).not.toContain(`href="/admin/contact/${stored.id}"`);
    const answered = await editor.get('/admin/contact?status=answered');
    expect(answered.body).toContain(`href="/admin/contact/${stored.id}"`);
    expect(answered.body).toMatch(/<option value="answered" selected>Answered \(1\)<\/option>/);
  });

  it('answers malformed parameters with 400 and unknown messages with 404', async () => {
    const { app, ctx } = await start();
    const staff = await createStaff(ctx, 'editor');
    const editor = new Browser(app);
    await editor.signIn(staff.email, staff.password);
    for (const id of ['0', 'abc', '-1', '1.5', '9999999999999999']) {
      expect((await editor.get(`/admin/contact/${id}`)).statusCode, id).toBe(400);
    }
    expect((await editor.get('/admin/contact/4242')).statusCode).toBe(404);
    expect((await editor.get('/admin/contact?status=deleted')).statusCode).toBe(400);
    expect((await editor.submit('/admin/contact', '/admin/contact/4242/status', { status: 'archived' })).statusCode).toBe(404);

    await new Browser(app).submit('/contact', '/contact', message);
    const [stored] = await storedMessages(ctx);
    const bad = await editor.submit('/admin/contact', `/admin/contact/${stored?.id}/status`, { status: 'deleted' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose new, answered or archived.');
    expect((await storedMessages(ctx))[0]?.status).toBe('new');
  });
});
