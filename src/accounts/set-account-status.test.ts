import { expect, it } from 'vitest';
import { Browser, createStaff, createTestApp } from '../../test/support/app.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';

describeEachDatabase('disabling accounts and ending sessions', ({ handle }) => {
  it('lets an administrator disable, re-enable and sign out a staff member, and audits it', async () => {
    const { app, ctx } = await createTestApp(handle());
    const admin = await createStaff(ctx, 'admin');
    const editor = await createStaff(ctx, 'editor');
    const adminBrowser = new Browser(app);
    await adminBrowser.signIn(admin.email, admin.password);
    const editorBrowser = new Browser(app);
    await editorBrowser.signIn(editor.email, editor.password);
    expect((await editorBrowser.get('/account')).statusCode).toBe(200);

    // An editor may not do it.
    expect((await editorBrowser.submit('/account', `/admin/users/${admin.userId}/status`, { status: 'disabled' })).statusCode).toBe(403);

    const disabled = await adminBrowser.submit('/admin/users', `/admin/users/${editor.userId}/status`, { status: 'disabled' });
    expect(disabled.statusCode).toBe(303);
    expect((await editorBrowser.get('/account')).statusCode).toBe(303);
    expect((await new Browser(app).signIn(editor.email, editor.password)).statusCode).toBe(400);

    await adminBrowser.submit('/admin/users', `/admin/users/${editor.userId}/status`, { status: 'active' });
    const again = new Browser(app);
    expect((await again.signIn(editor.email, editor.password)).statusCode).toBe(303);

    expect((await adminBrowser.submit('/admin/users', `/admin/users/${editor.userId}/sessions/end`, {})).statusCode).toBe(303);
    expect((await again.get('/account')).statusCode).toBe(303);

    const actions = (
      await ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', editor.userId).orderBy('id').execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled', 'user.sessions_ended']));
    await app.close();
  });

  it('refuses to disable yourself or the last administrator, and bad values', async () => {
    const { app, ctx } = await createTestApp(handle());
    const admin = await createStaff(ctx, 'admin');
    const browser = new Browser(app);
    await browser.signIn(admin.email, admin.password);
    const self = await browser.submit('/admin/users', `/admin/users/${admin.userId}/status`, { status: 'disabled' });
    expect(self.statusCode).toBe(409);
    expect(self.body).toContain('You cannot disable your own account.');
    expect((await browser.submit('/admin/users', `/admin/users/${admin.userId}/status`, { status: 'banished' })).statusCode).toBe(400);
    expect((await browser.submit('/admin/users', '/admin/users/no-such-user/status', { status: 'disabled' })).statusCode).toBe(404);
    const row = await ctx.db.selectFrom('users').select('status').where('id', '=', admin.userId).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
    await app.close();
  });
});
