import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { editorialTestApp, signedIn, submitPairs } from '../test-support.ts';

const DEMO_RESOURCE = 'demo-resource-rems-ta-center';

const resourcePairs = (overrides: Record<string, string> = {}): [string, string][] =>
  Object.entries({
    title: 'Community Policing Defined',
    url: 'https://cops.usdoj.gov/RIC/Publications/cops-p157-pub.pdf',
    publisher: 'COPS Office',
    kind: 'publication',
    description: 'The basics.',
    ...overrides,
  });

describeEachDatabase('resources', ({ handle }) => {
  it('adds a resource as a draft, refusing addresses that are not http or https', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const bad = await submitPairs(
      browser,
      '/admin/resources/new',
      '/admin/resources',
      resourcePairs({ url: 'javascript:alert(1)', kind: 'poster' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the address starting with https:// or http://.');
    expect(bad.body).toContain('Choose the kind of resource.');
    expect(bad.body).toContain('value="Community Policing Defined"');
    const created = await submitPairs(browser, '/admin/resources/new', '/admin/resources', [
      ...resourcePairs(),
      ['topics', 'demo-topic-partnerships'],
    ]);
    expect(created.statusCode).toBe(303);
    const rows = await test.ctx.db
      .selectFrom('publishing_resources')
      .select(['title', 'status', 'kind'])
      .where('title', '=', 'Community Policing Defined')
      .execute();
    // Only the good submission was stored.
    expect(rows).toEqual([{ title: 'Community Policing Defined', status: 'draft', kind: 'publication' }]);
    await test.close();
  });

  it('edits the seeded demo resource like any other: a publisher may, an editor may not while it is published', async () => {
    const test = await editorialTestApp(handle());
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    const path = `/admin/resources/${DEMO_RESOURCE}`;
    expect((await editor.browser.get(path)).body).toContain('only a publisher can make them');
    const pairs = resourcePairs({ title: 'REMS TA Center', url: 'https://rems.ed.gov/', kind: 'website' });
    expect((await submitPairs(editor.browser, path, path, pairs)).statusCode).toBe(403);
    expect((await submitPairs(publisher.browser, path, path, [...pairs, ['status', 'draft']])).statusCode).toBe(303);
    expect(
      await test.ctx.db
        .selectFrom('publishing_resources')
        .select(['title', 'status'])
        .where('id', '=', DEMO_RESOURCE)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      title: 'REMS TA Center',
      status: 'draft',
    });
    // A draft again: now an editor may edit it, but not publish it.
    expect((await submitPairs(editor.browser, path, path, pairs)).statusCode).toBe(303);
    expect((await submitPairs(editor.browser, path, path, [...pairs, ['status', 'published']])).statusCode).toBe(403);
    const actions = await test.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', DEMO_RESOURCE)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['resource.unpublished', 'resource.edited']);
    await test.close();
  });
});
