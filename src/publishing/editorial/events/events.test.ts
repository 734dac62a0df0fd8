import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { editorialTestApp, signedIn, submitPairs } from '../test-support.ts';

const DEMO_EVENT = 'demo-event-rems-chat-2024-01-22';

const eventPairs = (overrides: Record<string, string> = {}, topics: string[] = []): [string, string][] => [
  ...Object.entries({
    title: 'Webinar on Rural Partnerships',
    slug: '',
    kind: 'webinar',
    date: '2024-07-04',
    time: '11:00',
    timeZone: 'America/New_York',
    durationMinutes: '90',
    hashtag: '#RuralPolicing',
    hosts: '@COPSOffice | COPS Office | https://x.com/COPSOffice',
    joinUrl: 'https://example.gov/join',
    location: '',
    description: 'An hour and a half on partnerships.',
    recap: '',
    recordingUrl: '',
    articleId: '',
    ...overrides,
  }),
  ...topics.map((t): [string, string] => ['topics', t]),
];

describeEachDatabase('events', ({ handle }) => {
  it('stores the start in UTC from the wall time in the chosen zone, as a draft', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const created = await submitPairs(browser, '/admin/events/new', '/admin/events', eventPairs({}, ['demo-topic-events']));
    expect(created.statusCode).toBe(303);
    const id = created.headers.location!.match(/\/admin\/events\/([0-9a-f-]{36})/)![1]!;
    const row = await test.ctx.db.selectFrom('publishing_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      slug: 'webinar-on-rural-partnerships',
      starts_at: '2024-07-04T15:00:00.000Z',
      time_zone: 'America/New_York',
      duration_minutes: 90,
      hashtag: '#RuralPolicing',
      status: 'draft',
      hosts: JSON.stringify([{ handle: '@COPSOffice', name: 'COPS Office', url: 'https://x.com/COPSOffice' }]),
    });
    expect(await test.ctx.db.selectFrom('publishing_event_topics').select('topic_id').where('event_id', '=', id).execute()).toEqual([
      { topic_id: 'demo-topic-events' },
    ]);
    // The edit form shows the wall time again, in the event's zone.
    const page = await browser.get(`/admin/events/${id}`);
    expect(page.body).toContain('value="2024-07-04"');
    expect(page.body).toContain('value="11:00"');
    await test.close();
  });

  it('re-shows bad input with an error per field, writing nothing', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const response = await submitPairs(
      browser,
      '/admin/events/new',
      '/admin/events',
      eventPairs({
        hashtag: '#two words',
        hosts: 'COPS Office',
        joinUrl: 'javascript:alert(1)',
        date: '2024-02-30',
        kind: 'party',
        durationMinutes: '0',
      }),
    );
    expect(response.statusCode).toBe(400);
    for (const message of [
      'A hashtag starts with # and is one word',
      'Line 1: write the handle, name and address',
      'Enter the join or registration address starting with https://',
      'That date does not exist.',
      'Choose the kind of event.',
      'Enter the length in minutes as a whole number from 5 to 1440.',
    ]) {
      expect(response.body).toContain(message);
    }
    expect(response.body).toContain('value="#two words"');
    expect(await test.ctx.db.selectFrom('publishing_events').select('id').execute()).toEqual([{ id: DEMO_EVENT }]);
    await test.close();
  });

  it('lets only publishers publish: a forged state field from an editor is refused', async () => {
    const test = await editorialTestApp(handle());
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    expect((await editor.browser.get('/admin/events/new')).body).not.toContain('name="status"');
    const forged = await submitPairs(editor.browser, '/admin/events/new', '/admin/events', [...eventPairs(), ['status', 'published']]);
    expect(forged.statusCode).toBe(403);
    expect(await test.ctx.db.selectFrom('publishing_events').select('id').execute()).toEqual([{ id: DEMO_EVENT }]);
    const created = await submitPairs(publisher.browser, '/admin/events/new', '/admin/events', [...eventPairs(), ['status', 'published']]);
    expect(created.statusCode).toBe(303);
    const id = created.headers.location!.match(/\/admin\/events\/([0-9a-f-]{36})/)![1]!;
    const path = `/admin/events/${id}`;
    const unpublished = await submitPairs(publisher.browser, path, path, [...eventPairs(), ['status', 'draft']]);
    expect(unpublished.statusCode).toBe(303);
    const actions = await test.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['event.created', 'event.unpublished']);
    await test.close();
  });

  it('edits the seeded demo event like any other, keeping its time when the time is not changed', async () => {
    const test = await editorialTestApp(handle());
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    const path = `/admin/events/${DEMO_EVENT}`;
    const page = await publisher.browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="2024-01-22"');
    expect(page.body).toContain('value="11:00"');
    const pairs = eventPairs({
      title: '#REMSChatWithAnExpert: School Resource Officer MOUs',
      slug: 'rems-chat-with-an-expert-sro-mou-2024-01-22',
      kind: 'x_chat',
      date: '2024-01-22',
      time: '11:00',
      durationMinutes: '60',
      hashtag: '#REMSChatWithAnExpert',
      articleId: 'demo-article-sro-mou-x-chat',
      joinUrl: '',
    });
    expect((await submitPairs(editor.browser, path, path, pairs)).statusCode).toBe(403);
    expect((await submitPairs(publisher.browser, path, path, [...pairs, ['status', 'published']])).statusCode).toBe(303);
    expect(
      await test.ctx.db
        .selectFrom('publishing_events')
        .select(['title', 'starts_at', 'status', 'article_id'])
        .where('id', '=', DEMO_EVENT)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      title: '#REMSChatWithAnExpert: School Resource Officer MOUs',
      starts_at: '2024-01-22T16:00:00.000Z',
      status: 'published',
      article_id: 'demo-article-sro-mou-x-chat',
    });
    await test.close();
  });
});
