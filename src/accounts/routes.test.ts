import { expect, it } from 'vitest';
import { Browser, createStaff, createTestApp, withoutPerRequestSecrets } from '../../test/support/app.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { currentTotp } from '../platform/auth/totp.ts';
import { FixedClock } from '../platform/clock.ts';
import { parseDevMail } from '../platform/mail/dev-mailbox.ts';
import { SIGN_IN_REQUESTS_PER_IP } from './routes.ts';
import { totpBox } from './verify-second-factor.ts';

const SESSION_COOKIE = 'dispatch_session';

describeEachDatabase('staff sign-in', ({ handle }) => {
  it('issues a new session id at sign-in and kills it at sign-out', async () => {
    const { app, ctx } = await createTestApp(handle());
    const staff = await createStaff(ctx, 'editor');
    const browser = new Browser(app);

    // A session planted before sign-in (session fixation) must not survive it.
    const first = await browser.signIn(staff.email, staff.password);
    expect(first.statusCode).toBe(303);
    const firstId = browser.cookies.get(SESSION_COOKIE);
    expect(firstId).toBeDefined();
    // Signing in again from a signed-in browser (form token taken from the account page).
    const second = await browser.submit('/account', '/login', { email: staff.email, password: staff.password });
    expect(second.statusCode).toBe(303);
    const secondId = browser.cookies.get(SESSION_COOKIE);
    expect(secondId).toBeDefined();
    expect(secondId).not.toBe(firstId);
    expect((await new Browser(app).request({ method: 'GET', url: '/account', cookies: { [SESSION_COOKIE]: firstId! } })).statusCode).toBe(
      303,
    );

    expect((await browser.get('/account')).statusCode).toBe(200);
    const logout = await browser.submit('/account', '/logout', {});
    expect(logout.statusCode).toBe(303);

    // Replaying the old cookie after logout: signed out, sent to the sign-in page.
    const replay = await new Browser(app).request({ method: 'GET', url: '/account', cookies: { [SESSION_COOKIE]: secondId! } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
    await app.close();
  });

  it('answers a failed sign-in identically for known and unknown addresses', async () => {
    const { app, ctx } = await createTestApp(handle());
    const staff = await createStaff(ctx, 'editor');
    const known = await new Browser(app).signIn(staff.email, 'wrong password entirely here');
    const unknown = await new Browser(app).signIn('nobody-here@example.gov', 'wrong password entirely here');
    expect(known.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(known.statusCode);
    // Same page apart from the echoed address and per-request tokens.
    const normalise = (html: string, email: string) => withoutPerRequestSecrets(html).replaceAll(email, 'EMAIL');
    expect(normalise(unknown.body, 'nobody-here@example.gov')).toBe(normalise(known.body, staff.email));
    expect(known.body).toContain('The e-mail address or password is not correct.');
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'auth.sign_in.failed').execute();
    expect(audit.map((a) => a.actor).sort()).toEqual(['nobody-here@example.gov', staff.email].sort());
    await app.close();
  });

  it(`rate limits sign-in above ${SIGN_IN_REQUESTS_PER_IP} attempts per address and not below`, async () => {
    const { app } = await createTestApp(handle());
    const browser = new Browser(app);
    browser.ip = '203.0.113.7';
    for (let i = 1; i <= SIGN_IN_REQUESTS_PER_IP; i++) {
      const response = await browser.signIn(`someone${i}@example.gov`, 'not the right password at all');
      expect(response.statusCode, `attempt ${i}`).toBe(400);
    }
    const over = await browser.signIn('someone@example.gov', 'not the right password at all');
    expect(over.statusCode).toBe(429);
    expect(over.body).toContain('too many attempts');
    // Another client address is not affected.
    const other = new Browser(app);
    other.ip = '203.0.113.8';
    expect((await other.signIn('someone@example.gov', 'not the right password at all')).statusCode).toBe(400);
    await app.close();
  });

  it('keeps administrators and publishers without a second factor out of admin actions', async () => {
    const clock = new FixedClock(new Date());
    const { app, ctx } = await createTestApp(handle(), { env: { PUBLIC_URL: 'https://dispatch.example.gov' }, clock });
    const admin = await createStaff(ctx, 'admin');
    const browser = new Browser(app);
    // Over https the cookies are __Host- and Secure; inject() does not care about Secure.
    const signedIn = await browser.signIn(admin.email, admin.password);
    expect(signedIn.statusCode).toBe(303);
    expect([...browser.cookies.keys()]).toContain('__Host-dispatch_session');

    const adminPage = await browser.get('/admin/users');
    expect(adminPage.statusCode).toBe(303);
    expect(adminPage.headers.location).toBe('/account/second-factor');
    const enrolPage = await browser.get('/account/second-factor');
    expect(enrolPage.statusCode).toBe(200);
    // A direct post to an admin action is refused.
    const token = enrolPage.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    const invite = await browser.post('/admin/users', { _csrf: token, email: 'new@example.gov', role: 'editor' });
    expect(invite.statusCode).toBe(403);
    expect(await ctx.db.selectFrom('users').select('id').where('email', '=', 'new@example.gov').executeTakeFirst()).toBeUndefined();

    // Enrol, and the same actions open up.
    const sealed = enrolPage.body.match(/name="enrolment" value="([^"]+)"/)?.[1] ?? '';
    const code = currentTotp(totpBox(ctx).open(sealed), clock.now());
    const enrolled = await browser.post('/account/second-factor', { _csrf: token, enrolment: sealed, code });
    expect(enrolled.statusCode).toBe(303);
    expect((await browser.get('/admin/users')).statusCode).toBe(200);
    await app.close();
  });

  it('asks for the TOTP code after the password, and refuses a replayed code', async () => {
    const clock = new FixedClock(new Date());
    const { app, ctx } = await createTestApp(handle(), { clock });
    const publisher = await createStaff(ctx, 'publisher');
    const setup = new Browser(app);
    await setup.signIn(publisher.email, publisher.password);
    const enrolPage = await setup.get('/account/second-factor');
    const sealed = enrolPage.body.match(/name="enrolment" value="([^"]+)"/)?.[1] ?? '';
    const seed = totpBox(ctx).open(sealed);
    expect(
      (await setup.submit('/account', '/account/second-factor', { enrolment: sealed, code: currentTotp(seed, clock.now()) })).statusCode,
    ).toBe(303);

    clock.advance(60_000);
    const browser = new Browser(app);
    const password = await browser.signIn(publisher.email, publisher.password);
    expect(password.headers.location).toBe('/login/second-factor');
    // Half signed in: no access yet.
    expect((await browser.get('/account')).statusCode).toBe(303);
    const wrong = await browser.submit('/login/second-factor', '/login/second-factor', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    const code = currentTotp(seed, clock.now());
    const right = await browser.submit('/login/second-factor', '/login/second-factor', { code });
    expect(right.statusCode).toBe(303);
    expect((await browser.get('/account')).statusCode).toBe(200);

    const again = new Browser(app);
    await again.signIn(publisher.email, publisher.password);
    const replayed = await again.submit('/login/second-factor', '/login/second-factor', { code });
    expect(replayed.statusCode).toBe(400);
    await app.close();
  });
});

describeEachDatabase('account recovery', ({ handle }) => {
  it('answers the same for known and unknown addresses and mails only the known one', async () => {
    const { app, ctx } = await createTestApp(handle());
    const staff = await createStaff(ctx, 'editor');
    const known = await new Browser(app).submit('/account/recover', '/account/recover', { email: staff.email });
    const unknown = await new Browser(app).submit('/account/recover', '/account/recover', { email: 'ghost@example.gov' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(withoutPerRequestSecrets(unknown.body)).toBe(withoutPerRequestSecrets(known.body));
    const mail = await ctx.db.selectFrom('dev_mail').select(['recipients', 'raw']).execute();
    expect(mail.map((m) => m.recipients)).toEqual([staff.email]);
    await app.close();
  });

  it('resets the password once, within ten minutes, and ends every session', async () => {
    const clock = new FixedClock(new Date());
    const { app, ctx } = await createTestApp(handle(), { clock });
    const staff = await createStaff(ctx, 'editor');
    const signedIn = new Browser(app);
    await signedIn.signIn(staff.email, staff.password);
    expect((await signedIn.get('/account')).statusCode).toBe(200);

    await new Browser(app).submit('/account/recover', '/account/recover', { email: staff.email });
    const raw = (await ctx.db.selectFrom('dev_mail').select('raw').executeTakeFirstOrThrow()).raw;
    const link = ((await parseDevMail(raw)).text ?? '').match(/\/account\/recover\/([A-Za-z0-9_-]{43})/);
    expect(link).not.toBeNull();
    const path = `/account/recover/${link![1]}`;

    const browser = new Browser(app);
    // Opening the link (as a mail scanner would) changes nothing.
    expect((await browser.get(path)).statusCode).toBe(200);
    expect((await browser.get(path)).statusCode).toBe(200);
    const reset = await browser.submit(path, path, { newPassword: 'a brand new long passphrase' });
    expect(reset.statusCode).toBe(200);
    expect((await signedIn.get('/account')).statusCode).toBe(303);
    expect((await browser.get(path)).statusCode).toBe(404);
    expect((await new Browser(app).signIn(staff.email, 'a brand new long passphrase')).statusCode).toBe(303);

    // A second link, used after ten minutes, is refused.
    await new Browser(app).submit('/account/recover', '/account/recover', { email: staff.email });
    const second = (await ctx.db.selectFrom('dev_mail').select('raw').orderBy('id', 'desc').executeTakeFirstOrThrow()).raw;
    const late = `/account/recover/${((await parseDevMail(second)).text ?? '').match(/\/account\/recover\/([A-Za-z0-9_-]{43})/)![1]}`;
    clock.advance(10 * 60 * 1000 + 1);
    expect((await browser.get(late)).statusCode).toBe(404);
    await app.close();
  });
});
