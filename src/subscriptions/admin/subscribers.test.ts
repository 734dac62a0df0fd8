import { expect, it } from 'vitest';
import { Browser, createStaff } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import { recordSubscriberEvent } from '../history.ts';
import { emailHash } from '../keys.ts';
import { PREFIX_MATCH_LIMIT } from './find-subscribers.ts';
import { HISTORY_PAGE_SIZE } from './get-subscriber-record.ts';
import { addMembership, adminTestApp, insertSubscriber, mainText, signedIn, topicIds } from './test-support.ts';

const NOW = new Date('2026-11-15T12:00:00.000Z');

/** The cells of the counts table's row whose header is `name`: pending, active, paused, unsubscribed, total. */
function countsRow(html: string, name: string): number[] {
  const table = html.slice(html.indexOf('<table class="usa-table usa-table--borderless usa-table--compact width-full subscriber-counts"'));
  const body = table.slice(0, table.indexOf('</table>'));
  for (const row of body.split('<tr>').slice(1)) {
    const header = mainText(`<main>${row.slice(0, row.indexOf('</th>'))}</main>`);
    if (header.replace(/ Private$/, '') !== name) continue;
    return [...row.matchAll(/<td class="text-right[^"]*">([^<]*)<\/td>/g)].map((m) => Number(m[1]!.replaceAll(',', '')));
  }
  throw new Error(`no counts row for ${name}`);
}

describeEachDatabase('subscription admin: subscribers', ({ handle }) => {
  const start = async () => {
    const test = await adminTestApp(handle(), { clock: new FixedClock(NOW) });
    const topics = await topicIds(test.ctx.db);
    return { ...test, topics };
  };

  it('counts per topic and status come from the trigger-kept table, private topics marked', async () => {
    const { app, ctx, topics } = await start();
    const { browser } = await signedIn(app, ctx, 'publisher');
    const people = [
      { email: 'a@example.gov', status: 'active' as const, topics: ['dispatch', 'events'] },
      { email: 'b@example.gov', status: 'active' as const, topics: ['dispatch', 'editorial-partners'] },
      { email: 'c@example.gov', status: 'pending' as const, topics: ['dispatch'] },
      { email: 'd@example.gov', status: 'paused' as const, topics: ['events'] },
      { email: 'e@example.gov', status: 'unsubscribed' as const, topics: ['dispatch', 'grants'] },
      { email: 'f@example.gov', status: 'active' as const, topics: [] },
    ];
    for (const person of people) {
      const id = await insertSubscriber(ctx.db, person);
      for (const slug of person.topics) await addMembership(ctx.db, id, topics[slug]!);
    }
    await ctx.db
      .insertInto('subscriber_suppressions')
      .values([
        { email_hash: 'h1', reason: 'deleted', created_at: NOW.toISOString() },
        { email_hash: 'h2', reason: 'deleted', created_at: NOW.toISOString() },
        { email_hash: 'h3', reason: 'complaint', created_at: NOW.toISOString() },
      ])
      .execute();

    const page = await browser.get('/admin/subscribers');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Subscribers</h1>');
    // pending, active, paused, unsubscribed, total
    expect(countsRow(page.body, 'All subscribers')).toEqual([1, 3, 1, 1, 6]);
    expect(countsRow(page.body, 'Community Policing Dispatch')).toEqual([1, 2, 0, 1, 4]);
    expect(countsRow(page.body, 'Events and X chats')).toEqual([0, 1, 1, 0, 2]);
    expect(countsRow(page.body, 'Grants and funding')).toEqual([0, 0, 0, 1, 1]);
    expect(countsRow(page.body, 'School safety')).toEqual([0, 0, 0, 0, 0]);
    // The private topic is there for staff, and marked.
    expect(countsRow(page.body, 'Editorial partners (internal)')).toEqual([0, 1, 0, 0, 1]);
    expect(page.body).toMatch(/Editorial partners \(internal\)<span class="usa-tag margin-left-1">Private<\/span>/);
    const text = mainText(page.body);
    expect(text).toContain('3 addresses are on the suppression list.');
    expect(text).toContain('Deleted at the person’s request 2');
    expect(text).toContain('Spam complaint 1');
    expect(page.body).toContain('href="/admin/subscribers/import"');
    expect(page.body).toContain('href="/admin/subscriptions/topics"');

    // The page reads the counts table, not the subscribers: a count the triggers did not write shows as is.
    await ctx.db
      .updateTable('subscription_counts')
      .set({ subscribers: 1000 })
      .where('topic_id', '=', '')
      .where('status', '=', 'active')
      .execute();
    expect(countsRow((await browser.get('/admin/subscribers')).body, 'All subscribers')).toEqual([1, 1000, 1, 1, 1003]);
  });

  it('finds a subscriber by the whole address however it is typed, and lists addresses by their start', async () => {
    const { app, ctx } = await start();
    const { browser } = await signedIn(app, ctx, 'admin');
    const pat = await insertSubscriber(ctx.db, { email: 'pat.officer@xn--exmple-cua.gov' });
    await insertSubscriber(ctx.db, { email: 'pat@example.gov' });
    await insertSubscriber(ctx.db, { email: 'patricia@example.org' });
    await insertSubscriber(ctx.db, { email: 'paul@example.gov' });

    const search = (q: string) => browser.get(`/admin/subscribers?email=${encodeURIComponent(q)}`);
    for (const typed of ['pat.officer@xn--exmple-cua.gov', '  PAT.Officer@EXÄMPLE.gov ', 'Pat.Officer@exämple.GOV']) {
      const found = await search(typed);
      expect(found.statusCode, typed).toBe(200);
      expect(mainText(found.body), typed).toContain('The subscriber with the address pat.officer@xn--exmple-cua.gov:');
      expect(found.body, typed).toContain(`href="/admin/subscribers/${pat}"`);
      expect(found.body.match(/href="\/admin\/subscribers\/[0-9a-f-]{36}"/g), typed).toHaveLength(1);
    }
    const missing = await search('nobody@example.gov');
    expect(mainText(missing.body)).toContain('No subscriber has the address nobody@example.gov.');

    const prefixed = await search('PAT');
    expect(mainText(prefixed.body)).toContain('3 addresses start with “pat”:');
    expect(prefixed.body.match(/href="\/admin\/subscribers\/[0-9a-f-]{36}"/g)).toHaveLength(3);
    expect(mainText((await search('pat@exa')).body)).toContain('One address starts with “pat@exa”:');
    // Whole labels of an internationalised domain are converted as sign-up stores them; a label
    // still being typed cannot be (its punycode depends on the whole label).
    // ("pat.officer@exämple.g" is itself a valid address: nobody has it, and one address starts with it.)
    const partial = mainText((await search('pat.officer@EXÄMPLE.g')).body);
    expect(partial).toContain('No subscriber has the address pat.officer@xn--exmple-cua.g.');
    expect(partial).toContain(
      'One address starts with “pat.officer@xn--exmple-cua.g”: Addresses starting with what you typed E-mail address Status Added pat.officer@xn--exmple-cua.gov Active',
    );
    expect(mainText((await search('zz')).body)).toContain('No subscriber’s address starts with “zz”.');
    // Characters no stored address has: a field error, 400, and what was typed kept.
    const bad = await search('pat <script>');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('usa-input--error');
    expect(bad.body).toContain('value="pat &lt;script>"');

    // A long list stops at the limit and says so.
    for (let i = 0; i < PREFIX_MATCH_LIMIT + 2; i++)
      await insertSubscriber(ctx.db, { email: `many${String(i).padStart(2, '0')}@example.gov` });
    const many = await search('many');
    expect(mainText(many.body)).toContain(`The first ${PREFIX_MATCH_LIMIT} addresses starting with “many”.`);
    expect(many.body.match(/href="\/admin\/subscribers\/[0-9a-f-]{36}"/g)).toHaveLength(PREFIX_MATCH_LIMIT);
  });

  it('shows a subscriber: status in words, consent evidence without the IP hash, topics and history pages', async () => {
    const { app, ctx, topics } = await start();
    const { browser } = await signedIn(app, ctx, 'publisher');
    const hash = 'f00dfeedcafe0123456789abcdef0123';
    const id = await insertSubscriber(ctx.db, {
      email: 'reader@example.gov',
      status: 'paused',
      consentAt: '2026-02-01T08:30:00.000Z',
      consentSource: 'subscribe-box',
      consentIpHash: hash,
      consentUserAgent: 'Mozilla/5.0 <Test>',
      confirmedAt: '2026-02-01T08:40:00.000Z',
    });
    await addMembership(ctx.db, id, topics.dispatch!, 'digest');
    await addMembership(ctx.db, id, topics['editorial-partners']!);
    const clock = ctx.clock as FixedClock;
    for (let i = 1; i <= HISTORY_PAGE_SIZE + 3; i++) {
      await recordSubscriberEvent(ctx.db, clock, {
        subscriberId: id,
        kind: i === HISTORY_PAGE_SIZE + 3 ? 'topics_changed' : 'paused',
        actor: 'subscriber',
        details: { step: i, topics: ['dispatch', 'events'], note: '<b>bold</b>' },
      });
      clock.advance(1000);
    }

    const page = await browser.get(`/admin/subscribers/${id}`);
    expect(page.statusCode).toBe(200);
    const text = mainText(page.body);
    expect(page.body).toContain('<h1 class="text-break-all">reader@example.gov</h1>');
    expect(text).toContain('Paused: keeps their topics but gets nothing until they resume.');
    expect(text).toContain('Given 2026-02-01 08:30 UTC');
    expect(text).toContain('Source subscribe-box');
    expect(text).toContain('Recorded as a keyed hash (the address itself is never stored).');
    expect(page.body).not.toContain(hash);
    expect(page.body).not.toContain(hash.slice(0, 12));
    expect(text).toContain('Mozilla/5.0 <Test>');
    expect(page.body).toContain('Mozilla/5.0 &lt;Test>');
    expect(text).toContain('Confirmed 2026-02-01 08:40 UTC');
    expect(text).toContain('Community Policing Dispatch Monthly digest');
    expect(text).toContain('Editorial partners (internal) Private Every bulletin');
    // Newest first, 50 per page, with readable details.
    expect(text).toContain(`${HISTORY_PAGE_SIZE + 3} events, newest first`);
    expect(text).toMatch(/Changed topics The subscriber Step: 53 Topics: dispatch, events Note: <b>bold<\/b>/);
    expect(page.body).toContain('Note: &lt;b>bold&lt;/b>');
    expect(page.body.match(/<td>Paused<\/td>|<td>Changed topics<\/td>/g)).toHaveLength(HISTORY_PAGE_SIZE);
    expect(page.body).toContain(`href="/admin/subscribers/${id}?page=2"`);
    const second = await browser.get(`/admin/subscribers/${id}?page=2`);
    expect(second.body.match(/<td>Paused<\/td>/g)).toHaveLength(3);
    expect(mainText(second.body)).toContain('Step: 1 ');
    expect(mainText(second.body)).toContain('Page 2 of 2');

    // Unknown or malformed ids are simply not found.
    for (const path of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', `${id.toUpperCase()}`, `${id}x`]) {
      expect((await browser.get(`/admin/subscribers/${path}`)).statusCode, path).toBe(404);
      expect((await browser.get(`/admin/subscribers/${path}/delete`)).statusCode, path).toBe(404);
    }
  });

  it('unsubscribes: state, history with the staff actor, audit; twice changes nothing', async () => {
    const { app, ctx, topics } = await start();
    const staff = await signedIn(app, ctx, 'publisher');
    const id = await insertSubscriber(ctx.db, { email: 'leaver@example.gov', status: 'active' });
    await addMembership(ctx.db, id, topics.dispatch!);

    const done = await staff.browser.submit(`/admin/subscribers/${id}`, `/admin/subscribers/${id}/unsubscribe`, {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/admin/subscribers/${id}?notice=unsubscribed`);
    const row = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'unsubscribed', unsubscribed_at: NOW.toISOString() });
    // Memberships are kept.
    expect(await ctx.db.selectFrom('subscriptions').select('topic_id').where('subscriber_id', '=', id).execute()).toHaveLength(1);
    const events = await ctx.db.selectFrom('subscriber_events').selectAll().where('subscriber_id', '=', id).execute();
    expect(events).toMatchObject([{ kind: 'unsubscribed', actor: `admin:${staff.email}` }]);
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'subscriber.unsubscribed').execute();
    expect(audit).toMatchObject([{ actor: staff.email, actor_user_id: staff.userId, subject_type: 'subscriber', subject_id: id }]);
    expect(audit[0]!.details).not.toContain('leaver@');
    const after = await staff.browser.get(`/admin/subscribers/${id}?notice=unsubscribed`);
    expect(mainText(after.body)).toContain('Unsubscribed. Dispatch sends this address nothing from now on.');
    expect(mainText(after.body)).toContain(`Unsubscribed Staff: ${staff.email}`);

    // The form is gone now; a replayed post changes and records nothing.
    const token = /name="_csrf" value="([^"]+)"/.exec(after.body)![1]!;
    const again = await staff.browser.post(`/admin/subscribers/${id}/unsubscribe`, { _csrf: token });
    expect(again.headers.location).toBe(`/admin/subscribers/${id}?notice=unchanged`);
    expect(await ctx.db.selectFrom('subscriber_events').select('id').where('subscriber_id', '=', id).execute()).toHaveLength(1);
    expect(await ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'subscriber.unsubscribed').execute()).toHaveLength(1);
  });

  it('suppresses: unsubscribed, hash listed as manual (upgrading "deleted"), history and audit', async () => {
    const { app, ctx } = await start();
    const staff = await signedIn(app, ctx, 'admin');
    const id = await insertSubscriber(ctx.db, { email: 'blocked@example.gov', status: 'pending' });
    const hash = emailHash(ctx.config.secret, 'blocked@example.gov');
    await ctx.db
      .insertInto('subscriber_suppressions')
      .values({ email_hash: hash, reason: 'deleted', created_at: '2026-01-01T00:00:00.000Z' })
      .execute();

    const confirm = await staff.browser.get(`/admin/subscribers/${id}/suppress`);
    expect(confirm.statusCode).toBe(200);
    expect(mainText(confirm.body)).toContain('Suppress this address?');
    const done = await staff.browser.submit(`/admin/subscribers/${id}/suppress`, `/admin/subscribers/${id}/suppress`, {});
    expect(done.headers.location).toBe(`/admin/subscribers/${id}?notice=suppressed`);
    expect(await ctx.db.selectFrom('subscribers').select(['status', 'unsubscribed_at']).where('id', '=', id).executeTakeFirst()).toEqual({
      status: 'unsubscribed',
      unsubscribed_at: NOW.toISOString(),
    });
    expect(await ctx.db.selectFrom('subscriber_suppressions').select(['email_hash', 'reason']).execute()).toEqual([
      { email_hash: hash, reason: 'manual' },
    ]);
    const events = await ctx.db.selectFrom('subscriber_events').selectAll().where('subscriber_id', '=', id).execute();
    expect(events).toMatchObject([{ kind: 'suppressed', actor: `admin:${staff.email}` }]);
    expect(JSON.parse(events[0]!.details)).toEqual({ from: 'pending', reason: 'manual' });
    expect(
      await ctx.db.selectFrom('audit_log').select(['actor', 'subject_id']).where('action', '=', 'subscriber.suppressed').execute(),
    ).toEqual([{ actor: staff.email, subject_id: id }]);
    const page = await staff.browser.get(`/admin/subscribers/${id}`);
    expect(mainText(page.body)).toContain('This address is on the suppression list (suppressed by staff).');

    // Again: nothing changes.
    const again = await staff.browser.submit(`/admin/subscribers/${id}/suppress`, `/admin/subscribers/${id}/suppress`, {});
    expect(again.headers.location).toBe(`/admin/subscribers/${id}?notice=unchanged`);
    expect(await ctx.db.selectFrom('subscriber_events').select('id').where('subscriber_id', '=', id).execute()).toHaveLength(1);
  });

  it('deletes: memberships, history, tokens, requests and the row go; the hash stays as "deleted"; counts follow', async () => {
    const { app, ctx, topics } = await start();
    const staff = await signedIn(app, ctx, 'publisher');
    const id = await insertSubscriber(ctx.db, { email: 'gone@example.gov', status: 'active' });
    const other = await insertSubscriber(ctx.db, { email: 'stays@example.gov', status: 'active' });
    for (const slug of ['dispatch', 'events']) await addMembership(ctx.db, id, topics[slug]!);
    await addMembership(ctx.db, other, topics.dispatch!);
    await recordSubscriberEvent(ctx.db, ctx.clock, { subscriberId: id, kind: 'confirmed', actor: 'subscriber' });
    await recordSubscriberEvent(ctx.db, ctx.clock, { subscriberId: other, kind: 'confirmed', actor: 'subscriber' });
    await ctx.db
      .insertInto('subscriber_access_tokens')
      .values({ token_hash: 'tok', subscriber_id: id, purpose: 'session', created_at: NOW.toISOString(), expires_at: NOW.toISOString() })
      .execute();
    await ctx.db
      .insertInto('subscription_requests')
      .values({ id: 'req-1', email: 'gone@example.gov', topic_ids: '[]', source: 'subscribe-page', created_at: NOW.toISOString() })
      .execute();

    const confirm = await staff.browser.get(`/admin/subscribers/${id}/delete`);
    expect(mainText(confirm.body)).toContain('Delete this subscriber? gone@example.gov');
    const done = await staff.browser.submit(`/admin/subscribers/${id}/delete`, `/admin/subscribers/${id}/delete`, {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/admin/subscribers?notice=deleted');

    expect(await ctx.db.selectFrom('subscribers').select('email').execute()).toEqual([{ email: 'stays@example.gov' }]);
    expect(await ctx.db.selectFrom('subscriptions').select('subscriber_id').execute()).toEqual([{ subscriber_id: other }]);
    expect(await ctx.db.selectFrom('subscriber_events').select('subscriber_id').execute()).toEqual([{ subscriber_id: other }]);
    expect(await ctx.db.selectFrom('subscriber_access_tokens').select('token_hash').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('subscription_requests').select('id').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('subscriber_suppressions').select(['email_hash', 'reason']).execute()).toEqual([
      { email_hash: emailHash(ctx.config.secret, 'gone@example.gov'), reason: 'deleted' },
    ]);
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'subscriber.deleted').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: staff.email, subject_id: id });
    expect(JSON.parse(audit.details)).toEqual({ memberships: 2, events: 1 });
    expect(audit.details).not.toContain('gone@');

    const overview = await staff.browser.get('/admin/subscribers?notice=deleted');
    expect(mainText(overview.body)).toContain('Subscriber deleted.');
    expect(countsRow(overview.body, 'All subscribers')).toEqual([0, 1, 0, 0, 1]);
    expect(countsRow(overview.body, 'Events and X chats')).toEqual([0, 0, 0, 0, 0]);
    expect((await staff.browser.get(`/admin/subscribers/${id}`)).statusCode).toBe(404);
    expect((await staff.browser.submit(`/admin/subscribers/${other}`, `/admin/subscribers/${id}/delete`, {})).statusCode).toBe(404);
  });

  it('refuses editors and anonymous visitors, and every post without a CSRF token', async () => {
    const { app, ctx } = await start();
    const id = await insertSubscriber(ctx.db, { email: 'x@example.gov' });
    const editor = await signedIn(app, ctx, 'editor');
    const publisher = await signedIn(app, ctx, 'publisher');
    const pages = [
      '/admin/subscribers',
      `/admin/subscribers/${id}`,
      `/admin/subscribers/${id}/delete`,
      `/admin/subscribers/${id}/suppress`,
    ];
    for (const path of pages) {
      expect((await editor.browser.get(path)).statusCode, path).toBe(403);
      const anonymous = await app.inject({ method: 'GET', url: path });
      expect(anonymous.statusCode, path).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/login/);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec((await editor.browser.get('/account')).body)![1]!;
    for (const action of ['unsubscribe', 'suppress', 'delete']) {
      const path = `/admin/subscribers/${id}/${action}`;
      expect((await editor.browser.post(path, { _csrf: token })).statusCode, path).toBe(403);
      expect((await publisher.browser.post(path, {})).statusCode, path).toBe(403);
      expect((await publisher.browser.post(path, { _csrf: 'forged' })).statusCode, path).toBe(403);
    }
    expect(await ctx.db.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirst()).toEqual({ status: 'active' });
    expect(await ctx.db.selectFrom('subscriber_events').select('id').execute()).toEqual([]);
  });

  it('needs a second factor outside a local demo', async () => {
    const test = await adminTestApp(handle(), { env: { PUBLIC_URL: 'https://dispatch.example.gov', DISPATCH_SECRET: 'x'.repeat(40) } });
    const staff = await createStaff(test.ctx, 'admin');
    const browser = new Browser(test.app);
    expect((await browser.signIn(staff.email, staff.password)).statusCode).toBe(303);
    const page = await browser.get('/admin/subscribers');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/account/second-factor');
  });
});
