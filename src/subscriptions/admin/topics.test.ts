import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import type { AppContext } from '../../platform/context.ts';
import { DISPATCH_TOPIC_SLUG } from '../topics.ts';
import { addMembership, adminTestApp, insertSubscriber, mainText, signedIn, topicIds } from './test-support.ts';
import { DISPATCH_ALWAYS_PUBLIC, DISPATCH_SLUG_FIXED } from './update-subscription-topic.ts';

const TOPICS = '/admin/subscriptions/topics';

const valid = {
  name: 'Officer wellness',
  slug: 'officer-wellness',
  description: 'Resources on officer health & resilience.',
  frequency: 'monthly',
  visibility: 'public',
  position: '7',
};

async function topicBySlug(ctx: AppContext, slug: string) {
  return ctx.db.selectFrom('subscription_topics').selectAll().where('slug', '=', slug).executeTakeFirst();
}

async function auditActions(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom('audit_log')
    .select(['action', 'subject_id', 'details'])
    .where('action', 'like', 'subscription_topic.%')
    .orderBy('id')
    .execute();
  return rows;
}

/** The error summary's messages, in order. */
const summary = (html: string) =>
  [...(html.split('id="error-summary"')[1]?.split('</ul>')[0] ?? '').matchAll(/<a href="#field-([a-z]+)">([^<]*)<\/a>/g)].map((m) => [
    m[1],
    m[2],
  ]);

describeEachDatabase('subscription admin: topics', ({ handle }) => {
  it('lists every topic, private ones too, with frequency, visibility and active/all counts', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const { browser } = await signedIn(app, ctx, 'publisher');
    const topics = await topicIds(ctx.db);
    const a = await insertSubscriber(ctx.db, { email: 'a@example.gov', status: 'active' });
    const b = await insertSubscriber(ctx.db, { email: 'b@example.gov', status: 'unsubscribed' });
    await addMembership(ctx.db, a, topics.dispatch!);
    await addMembership(ctx.db, b, topics.dispatch!);
    await addMembership(ctx.db, a, topics['editorial-partners']!);

    const page = await browser.get(TOPICS);
    expect(page.statusCode).toBe(200);
    const text = mainText(page.body);
    expect(text).toContain('Community Policing Dispatch dispatch Monthly Public 1 2');
    expect(text).toContain('Events and X chats events As items are published Public 0 0');
    expect(text).toContain('Editorial partners (internal) editorial-partners As items are published Private 1 1');
    expect(page.body).toContain(`href="${TOPICS}/new"`);
    expect(page.body).toContain(`href="${TOPICS}/${topics.grants}"`);
  });

  it('adds a topic, making the slug from the name when left empty; audits it', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const staff = await signedIn(app, ctx, 'admin');
    const form = await staff.browser.get(`${TOPICS}/new`);
    expect(form.statusCode).toBe(200);
    // Placed after the seeded topics by default, public, sent as items are published.
    expect(form.body).toContain('value="5"');
    expect(form.body).toMatch(
      /<input class="usa-radio__input" id="field-visibility" type="radio" name="visibility" value="public" checked/,
    );
    expect(form.body).toContain('Public — listed on the subscribe page');
    expect(form.body).toContain('Private — staff and imports only');

    const created = await staff.browser.submit(`${TOPICS}/new`, `${TOPICS}/new`, valid);
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe(`${TOPICS}?notice=created`);
    const row = await topicBySlug(ctx, 'officer-wellness');
    expect(row).toMatchObject({ name: 'Officer wellness', frequency: 'monthly', visibility: 'public', position: 7 });
    expect(mainText((await staff.browser.get(`${TOPICS}?notice=created`)).body)).toContain('Topic added.');

    const fromName = await staff.browser.submit(`${TOPICS}/new`, `${TOPICS}/new`, {
      ...valid,
      name: '  Grants — Ünder $1M!  ',
      slug: '',
      visibility: 'private',
    });
    expect(fromName.statusCode).toBe(303);
    expect(await topicBySlug(ctx, 'grants-under-1m')).toMatchObject({ name: 'Grants — Ünder $1M!', visibility: 'private' });

    const audit = await auditActions(ctx);
    expect(audit.map((a) => a.action)).toEqual(['subscription_topic.created', 'subscription_topic.created']);
    expect(audit[0]!.subject_id).toBe(row!.id);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ slug: 'officer-wellness', visibility: 'public' });
    const entry = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'subscription_topic.created')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: staff.email, actor_user_id: staff.userId });
  });

  it('refuses each invalid field with a message naming it, 400, and keeps what was typed', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const { browser } = await signedIn(app, ctx, 'publisher');
    const post = (fields: Record<string, string>) => browser.submit(`${TOPICS}/new`, `${TOPICS}/new`, fields);
    const cases: [Record<string, string>, string, string][] = [
      [{ ...valid, name: '   ' }, 'name', 'Enter a name for the topic.'],
      [{ ...valid, name: 'n'.repeat(101) }, 'name', 'Use at most 100 characters for the name.'],
      [{ ...valid, slug: 'Officer Wellness' }, 'slug', 'The slug can only have lower-case letters, digits and single hyphens between them'],
      [{ ...valid, slug: 'double--hyphen' }, 'slug', 'The slug can only have lower-case letters'],
      [{ ...valid, slug: '-leading' }, 'slug', 'The slug can only have lower-case letters'],
      [{ ...valid, slug: 's'.repeat(61) }, 'slug', 'Use at most 60 characters for the slug.'],
      [{ ...valid, name: '!!!', slug: '' }, 'slug', 'Enter a slug: the name has no letters or digits to make one from.'],
      [{ ...valid, description: 'd'.repeat(1001) }, 'description', 'Use at most 1000 characters for the description.'],
      [{ ...valid, frequency: 'daily' }, 'frequency', 'Choose how often the topic sends (frequency).'],
      [{ ...valid, visibility: '' }, 'visibility', 'Choose who can see the topic (visibility): public or private.'],
      [{ ...valid, visibility: 'secret' }, 'visibility', 'Choose who can see the topic (visibility)'],
      [{ ...valid, position: 'first' }, 'position', 'Enter the position as a whole number from 0 to 9999.'],
      [{ ...valid, position: '-1' }, 'position', 'Enter the position as a whole number'],
      [{ ...valid, position: '10000' }, 'position', 'Enter the position as a whole number'],
      [{ ...valid, slug: DISPATCH_TOPIC_SLUG }, 'slug', 'Another topic already uses the slug “dispatch”. Choose a different slug.'],
    ];
    for (const [fields, field, message] of cases) {
      const response = await post(fields);
      expect(response.statusCode, `${field}: ${message}`).toBe(400);
      const listed = summary(response.body);
      expect(listed, message).toHaveLength(1);
      expect(listed[0]![0]).toBe(field);
      expect(listed[0]![1]).toContain(message.replaceAll('“', '“'));
      expect(response.body).toContain(`id="field-${field}-error"`);
      expect(response.body).toContain('<title>Error: New topic (admin)');
    }
    // All at once, each named, and the typed values (escaped) still in the form.
    const all = await post({ name: '', slug: 'Bad Slug', description: '<b>kept</b>', frequency: 'x', visibility: 'x', position: 'x' });
    expect(all.statusCode).toBe(400);
    expect(summary(all.body).map(([field]) => field)).toEqual(['name', 'slug', 'frequency', 'visibility', 'position']);
    expect(all.body).toContain('value="Bad Slug"');
    expect(all.body).toContain('&lt;b>kept&lt;/b></textarea>');
    expect(all.body).toContain('value="x"');
    expect(await ctx.db.selectFrom('subscription_topics').select('id').execute()).toHaveLength(5);
    expect(await auditActions(ctx)).toEqual([]);
  });

  it('edits a topic, members keep it when it turns private, and the audit says what changed', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const { browser } = await signedIn(app, ctx, 'publisher');
    const topics = await topicIds(ctx.db);
    const path = `${TOPICS}/${topics.grants}`;
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Grants and funding"');
    expect(page.body).toContain(`href="${path}/delete"`);

    const form = { name: 'Grants', slug: 'grants', description: 'Funding.', frequency: 'weekly', visibility: 'private', position: '3' };
    const member = await insertSubscriber(ctx.db, { email: 'member@example.gov' });
    await addMembership(ctx.db, member, topics.grants!);
    const saved = await browser.submit(path, path, form);
    expect(saved.headers.location).toBe(`${path}?notice=saved`);
    expect(await topicBySlug(ctx, 'grants')).toMatchObject({ name: 'Grants', frequency: 'weekly', visibility: 'private', position: 3 });
    expect(await ctx.db.selectFrom('subscriptions').select('subscriber_id').where('topic_id', '=', topics.grants!).execute()).toEqual([
      { subscriber_id: member },
    ]);
    const audit = await auditActions(ctx);
    expect(audit.map((a) => a.action)).toEqual(['subscription_topic.edited']);
    expect(JSON.parse(audit[0]!.details).changed).toEqual({
      name: { from: 'Grants and funding', to: 'Grants' },
      description: { from: 'Funding opportunities, solicitations and deadlines.', to: 'Funding.' },
      frequency: { from: 'as_published', to: 'weekly' },
      visibility: { from: 'public', to: 'private' },
    });
  });

  it('edits: unchanged forms, slug conflicts and the Dispatch topic', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const { browser } = await signedIn(app, ctx, 'publisher');
    const topics = await topicIds(ctx.db);
    const grants = await topicBySlug(ctx, 'grants');
    const path = `${TOPICS}/${topics.grants}`;
    const same = {
      name: grants!.name,
      slug: 'grants',
      description: grants!.description,
      frequency: grants!.frequency,
      visibility: 'public',
      position: String(grants!.position),
    };

    const unchanged = await browser.submit(path, path, same);
    expect(unchanged.headers.location).toBe(`${path}?notice=unchanged`);
    expect(await auditActions(ctx)).toEqual([]);

    const clash = await browser.submit(path, path, { ...same, slug: 'events' });
    expect(clash.statusCode).toBe(400);
    expect(summary(clash.body)).toEqual([['slug', 'Another topic already uses the slug “events”. Choose a different slug.']]);
    expect(clash.body).toContain('value="events"');

    const dispatchPath = `${TOPICS}/${topics.dispatch}`;
    const dispatchPage = await browser.get(dispatchPath);
    expect(dispatchPage.body).toMatch(/id="field-slug" name="slug" type="text" value="dispatch" readonly/);
    expect(dispatchPage.body).not.toContain(`${dispatchPath}/delete`);
    const dispatch = await topicBySlug(ctx, DISPATCH_TOPIC_SLUG);
    const dispatchForm = {
      name: 'The Dispatch',
      slug: 'dispatch',
      description: 'Monthly.',
      frequency: 'monthly',
      visibility: 'public',
      position: '0',
    };
    const refused = await browser.submit(dispatchPath, dispatchPath, { ...dispatchForm, slug: 'newsletter', visibility: 'private' });
    expect(refused.statusCode).toBe(400);
    expect(summary(refused.body)).toEqual([
      ['slug', DISPATCH_SLUG_FIXED.replaceAll('’', '’')],
      ['visibility', DISPATCH_ALWAYS_PUBLIC],
    ]);
    expect((await topicBySlug(ctx, DISPATCH_TOPIC_SLUG))?.name).toBe(dispatch!.name);
    const renamed = await browser.submit(dispatchPath, dispatchPath, dispatchForm);
    expect(renamed.statusCode).toBe(303);
    expect(await topicBySlug(ctx, DISPATCH_TOPIC_SLUG)).toMatchObject({ name: 'The Dispatch', description: 'Monthly.' });
  });

  it('deletes a topic nobody has after a confirmation; refuses with 409 when anybody has it, and the Dispatch always', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const staff = await signedIn(app, ctx, 'publisher');
    const topics = await topicIds(ctx.db);

    const confirm = await staff.browser.get(`${TOPICS}/${topics['school-safety']}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(mainText(confirm.body)).toContain('Nobody has this topic, so deleting it changes no subscriber.');
    const deleted = await staff.browser.submit(
      `${TOPICS}/${topics['school-safety']}/delete`,
      `${TOPICS}/${topics['school-safety']}/delete`,
      {},
    );
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`${TOPICS}?notice=deleted`);
    expect(await topicBySlug(ctx, 'school-safety')).toBeUndefined();
    const audit = await auditActions(ctx);
    expect(audit).toMatchObject([{ action: 'subscription_topic.deleted', subject_id: topics['school-safety'] }]);
    expect(mainText((await staff.browser.get(`${TOPICS}?notice=deleted`)).body)).toContain('Topic deleted.');

    // Even unsubscribed people's memberships block it: they are their history.
    for (const [i, status] of (['unsubscribed', 'active', 'paused'] as const).entries()) {
      const id = await insertSubscriber(ctx.db, { email: `p${i}@example.gov`, status });
      await addMembership(ctx.db, id, topics.events!);
    }
    const eventsDelete = `${TOPICS}/${topics.events}/delete`;
    const blockedPage = await staff.browser.get(eventsDelete);
    expect(blockedPage.statusCode).toBe(200);
    expect(blockedPage.body).not.toContain(`action="${eventsDelete}"`);
    const refused = await staff.browser.submit(`${TOPICS}/${topics.events}`, eventsDelete, {});
    expect(refused.statusCode).toBe(409);
    const message = mainText(refused.body);
    expect(message).toContain('“Events and X chats” cannot be deleted: 3 subscribers have it among their topics');
    expect(message).toContain('make it private instead');
    expect(await topicBySlug(ctx, 'events')).toBeDefined();

    const dispatchDelete = `${TOPICS}/${topics.dispatch}/delete`;
    const dispatch = await staff.browser.submit(`${TOPICS}/${topics.dispatch}`, dispatchDelete, {});
    expect(dispatch.statusCode).toBe(409);
    expect(mainText(dispatch.body)).toContain('The Dispatch topic is the newsletter itself and cannot be deleted.');
    expect(await topicBySlug(ctx, DISPATCH_TOPIC_SLUG)).toBeDefined();
    expect((await auditActions(ctx)).map((a) => a.action)).toEqual(['subscription_topic.deleted']);
  });

  it('answers 404 for unknown topics, 403 to editors, and refuses posts without a CSRF token', async () => {
    const { app, ctx } = await adminTestApp(handle());
    const publisher = await signedIn(app, ctx, 'publisher');
    const editor = await signedIn(app, ctx, 'editor');
    const topics = await topicIds(ctx.db);
    for (const id of ['no-such-topic', '00000000-0000-4000-8000-000000000000', 'x'.repeat(150)]) {
      expect((await publisher.browser.get(`${TOPICS}/${id}`)).statusCode, id).toBe(404);
      expect((await publisher.browser.get(`${TOPICS}/${id}/delete`)).statusCode, id).toBe(404);
      expect((await publisher.browser.submit(`${TOPICS}/new`, `${TOPICS}/${id}`, valid)).statusCode, id).toBe(404);
      expect((await publisher.browser.submit(`${TOPICS}/new`, `${TOPICS}/${id}/delete`, {})).statusCode, id).toBe(404);
    }
    for (const path of [TOPICS, `${TOPICS}/new`, `${TOPICS}/${topics.grants}`, `${TOPICS}/${topics.grants}/delete`]) {
      expect((await editor.browser.get(path)).statusCode, path).toBe(403);
    }
    const editorToken = /name="_csrf" value="([^"]+)"/.exec((await editor.browser.get('/account')).body)![1]!;
    expect((await editor.browser.post(`${TOPICS}/new`, { _csrf: editorToken, ...valid })).statusCode).toBe(403);
    expect((await editor.browser.post(`${TOPICS}/${topics.grants}/delete`, { _csrf: editorToken })).statusCode).toBe(403);
    for (const path of [`${TOPICS}/new`, `${TOPICS}/${topics.grants}`, `${TOPICS}/${topics['school-safety']}/delete`]) {
      expect((await publisher.browser.post(path, { ...valid, slug: 'via-forgery' })).statusCode, path).toBe(403);
    }
    expect(await ctx.db.selectFrom('subscription_topics').select('id').execute()).toHaveLength(5);
    expect(await topicBySlug(ctx, 'via-forgery')).toBeUndefined();
  });
});
