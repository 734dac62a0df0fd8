import { expect, it } from 'vitest';
import { FixedClock } from '../../src/platform/clock.ts';
import { contentVersion } from '../../src/platform/http/page-cache.ts';
import { Browser, createStaff, createTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const ARTICLE = '/articles/x-chat-school-resource-officer-mou';

function nonceOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers['content-security-policy']).match(/'nonce-([^']+)'/)?.[1] ?? '';
}

describeEachDatabase('public page cache', ({ handle }) => {
  it('serves repeat anonymous reads from cache, each with its own nonce', async () => {
    const { app } = await createTestApp(handle());
    const first = await app.inject({ url: ARTICLE });
    expect(first.headers['x-page-cache']).toBe('miss');
    const second = await app.inject({ url: ARTICLE });
    expect(second.headers['x-page-cache']).toBe('hit');
    expect(nonceOf(second)).not.toBe(nonceOf(first));
    expect(second.body).toContain(`nonce="${nonceOf(second)}"`);
    expect(second.body).not.toContain(nonceOf(first));
    expect(second.body.replaceAll(nonceOf(second), 'N')).toBe(first.body.replaceAll(nonceOf(first), 'N'));
    await app.close();
  });

  it('shows a change on the next request: triggers bump the content version', async () => {
    const { app, ctx } = await createTestApp(handle());
    await app.inject({ url: ARTICLE });
    const before = await contentVersion(ctx.db);
    await ctx.db
      .updateTable('publishing_articles')
      .set({ title: 'A changed headline' })
      .where('slug', '=', 'x-chat-school-resource-officer-mou')
      .execute();
    expect(await contentVersion(ctx.db)).toBeGreaterThan(before);
    const after = await app.inject({ url: ARTICLE });
    expect(after.headers['x-page-cache']).toBe('miss');
    expect(after.body).toContain('A changed headline');

    // Settings show in every footer, so they count as content too.
    const versionBeforeSettings = await contentVersion(ctx.db);
    await ctx.db.updateTable('settings').set({ updated_at: new Date().toISOString() }).execute();
    expect(await contentVersion(ctx.db)).toBeGreaterThan(versionBeforeSettings);
    // Writes elsewhere (the audit log) do not empty the cache.
    await app.inject({ url: ARTICLE });
    const steady = await contentVersion(ctx.db);
    await ctx.audit.record({ action: 'test.noop', actor: 'test' });
    expect(await contentVersion(ctx.db)).toBe(steady);
    expect((await app.inject({ url: ARTICLE })).headers['x-page-cache']).toBe('hit');
    await app.close();
  });

  it('expires entries after a minute, for pages that depend on the time', async () => {
    const clock = new FixedClock(new Date());
    const { app } = await createTestApp(handle(), { clock });
    await app.inject({ url: '/events' });
    expect((await app.inject({ url: '/events' })).headers['x-page-cache']).toBe('hit');
    clock.advance(61_000);
    expect((await app.inject({ url: '/events' })).headers['x-page-cache']).toBe('miss');
    await app.close();
  });

  it('never serves or stores pages for signed-in people, or pages with forms', async () => {
    const { app, ctx } = await createTestApp(handle());
    const staff = await createStaff(ctx, 'editor');
    const browser = new Browser(app);
    await browser.signIn(staff.email, staff.password);
    const signedIn = await browser.get(ARTICLE);
    expect(signedIn.headers['x-page-cache']).toBeUndefined();
    expect(signedIn.body).toContain('Sign out');
    const anonymous = await app.inject({ url: ARTICLE });
    expect(anonymous.body).not.toContain('Sign out');
    expect((await app.inject({ url: '/contact' })).headers['x-page-cache']).toBeUndefined();
    await app.close();
  });
});
