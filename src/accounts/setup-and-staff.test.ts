import { expect, it } from 'vitest';
import { Browser, createStaff, createTestApp } from '../../test/support/app.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { parseDevMail } from '../platform/mail/dev-mailbox.ts';
import { issueFirstAdminLink } from './issue-setup-link.ts';

describeEachDatabase('first administrator and staff management', ({ handle }) => {
  it('creates the first administrator from the setup link, once, keeping the link on bad input', async () => {
    const { app, ctx } = await createTestApp(handle());
    const link = await issueFirstAdminLink(ctx);
    if (!link || !('url' in link)) throw new Error('expected a setup link');
    const path = new URL(link.url).pathname;
    const browser = new Browser(app);

    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Create the first administrator');

    const weak = await browser.submit(path, path, { email: 'chief@example.gov', displayName: 'Chief', password: 'password' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('Use at least 15 characters');
    expect(weak.body).toContain('value="chief@example.gov"');
    expect(await ctx.db.selectFrom('users').select('id').execute()).toEqual([]);

    const done = await browser.submit(path, path, {
      email: 'Chief@Example.gov',
      displayName: 'Chief',
      password: 'seven lanterns over the river',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account/second-factor');
    const admin = await ctx.db.selectFrom('users').select(['email', 'staff_role', 'status']).executeTakeFirstOrThrow();
    expect(admin).toEqual({ email: 'chief@example.gov', staff_role: 'admin', status: 'active' });
    expect((await browser.get('/admin')).statusCode).toBe(200);

    expect((await new Browser(app).get(path)).statusCode).toBe(404);
    expect(await issueFirstAdminLink(ctx)).toBeNull();
    await app.close();
  });

  it('lets an administrator invite staff by e-mail, change roles, and audits both', async () => {
    const { app, ctx } = await createTestApp(handle());
    const admin = await createStaff(ctx, 'admin');
    const browser = new Browser(app);
    await browser.signIn(admin.email, admin.password);

    const invalid = await browser.submit('/admin/users', '/admin/users', { email: 'not an address', role: 'editor' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Enter an e-mail address like name@example.gov.');

    const invited = await browser.submit('/admin/users', '/admin/users', {
      email: 'writer@example.gov',
      displayName: 'Writer',
      role: 'editor',
    });
    expect(invited.statusCode).toBe(200);
    const mail = await ctx.db.selectFrom('dev_mail').select(['recipients', 'raw']).executeTakeFirstOrThrow();
    expect(mail.recipients).toBe('writer@example.gov');
    const setupPath = (await parseDevMail(mail.raw)).text?.match(/\/setup\/[A-Za-z0-9_-]{43}/)?.[0];
    expect(setupPath).toBeDefined();

    const writer = new Browser(app);
    const setup = await writer.submit(setupPath!, setupPath!, { displayName: 'Writer', password: 'ink and paper every morning' });
    expect(setup.statusCode).toBe(303);
    const writerRow = await ctx.db
      .selectFrom('users')
      .select(['id', 'staff_role'])
      .where('email', '=', 'writer@example.gov')
      .executeTakeFirstOrThrow();
    expect(writerRow.staff_role).toBe('editor');
    // An editor cannot reach administration.
    expect((await writer.get('/admin/users')).statusCode).toBe(403);

    const promoted = await browser.submit('/admin/users', `/admin/users/${writerRow.id}/role`, { role: 'publisher' });
    expect(promoted.statusCode).toBe(303);
    // Their session ended so the new role applies from the next sign-in.
    expect((await writer.get('/account')).statusCode).toBe(303);
    const actions = (await ctx.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.invited', 'user.setup_completed', 'user.role_changed']));

    // The only administrator cannot demote themselves.
    const adminId = (await ctx.db.selectFrom('users').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()).id;
    const demote = await browser.submit('/admin/users', `/admin/users/${adminId}/role`, { role: 'editor' });
    expect(demote.statusCode).toBe(409);
    const bogus = await browser.submit('/admin/users', `/admin/users/${adminId}/role`, { role: 'emperor' });
    expect(bogus.statusCode).toBe(400);
    await app.close();
  });

  it('edits the Contact Us settings, shows them in the footer, and refuses invalid values', async () => {
    const { app, ctx } = await createTestApp(handle());
    const admin = await createStaff(ctx, 'admin');
    const browser = new Browser(app);
    await browser.signIn(admin.email, admin.password);
    const home = await app.inject({ url: '/' });
    expect(home.body).toContain('CPDispatch@usdoj.gov');
    expect(home.body).toContain('800-421-6770');
    expect(home.body).toContain('145 N Street, N.E.');

    const form = {
      siteName: 'Community Policing Dispatch',
      tagline: 'News from the office',
      editorialBoardEmail: 'editors@example.gov',
      responseCenterPhone: '800-555-0100',
      responseCenterEmail: 'help@example.gov',
      agencyName: 'Example Agency',
      officeName: 'Office of Examples',
      streetAddress: '1 Main Street',
      cityStateZip: 'Springfield, ST 00000',
      agencyWebsite: 'www.example.gov',
      bulletinFrom: 'Dispatch <dispatch@example.gov>',
      transactionalFrom: 'Dispatch <no-reply@example.gov>',
      firstVolumeYear: '2008',
      opinionDisclaimer: 'Views are the authors’ own.',
    };
    const bad = await browser.submit('/admin/settings', '/admin/settings', { ...form, editorialBoardEmail: 'nope', siteName: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the editorial board’s e-mail address');
    expect((await app.inject({ url: '/' })).body).toContain('CPDispatch@usdoj.gov');

    const saved = await browser.submit('/admin/settings', '/admin/settings', form);
    expect(saved.statusCode).toBe(303);
    const after = await app.inject({ url: '/' });
    expect(after.body).toContain('editors@example.gov');
    expect(after.body).not.toContain('usa-banner');
    await app.close();
  });
});
