import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { expect, it, onTestFinished } from 'vitest';
import { FixedClock } from '../../src/platform/clock.ts';
import { refreshSearchEntry } from '../../src/publishing/search/index-entry.ts';
import { insertArticle, insertEvent, insertIssue, insertResource, insertTopic } from '../publishing-site/fixtures.ts';
import { Browser, createStaff, createTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { injectedMarkup, type Sample, sample } from './markup.ts';
import { hostsJson, linksJson } from './rows.ts';

// The same property through the real application: hostile rows in the database, read by the real
// queries (JSON columns, search index, engine snippets on both engines) and rendered by the routes.

/** PostgreSQL text cannot hold NUL; everything else goes in as generated. */
const storable = (s: Sample): Sample =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\u0000', '') : v])) as Sample;
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
/** The run number in letters: a word the hostile text will not happen to hold, one token in both engines. */
function wordFor(run: number): string {
  let letters = '';
  for (let n = run; n > 0; n = Math.floor(n / 26)) letters = String.fromCharCode(97 + (n % 26)) + letters;
  return `zq${letters}qz`;
}

function problems(response: LightMyRequestResponse): string[] {
  const nonce = /'nonce-([^']+)'/.exec(String(response.headers['content-security-policy']))?.[1];
  return injectedMarkup(response.body, { nonce });
}

/** Fetches `url`: it must answer 200, inject no markup and, when `word` is given, show that run's rows. */
async function expectClean(get: (url: string) => Promise<LightMyRequestResponse>, url: string, word?: string) {
  const response = await get(url);
  expect(response.statusCode, url).toBe(200);
  expect(problems(response), url).toEqual([]);
  // The run's own rows are on the page, so the check above had hostile text to look at.
  if (word) expect(response.body, url).toContain(word);
  return response;
}

describeEachDatabase('pages served from hostile rows', ({ handle, engine }) => {
  it('inject no markup: the public pages, search, contact form, and the editorial and inbox pages', async () => {
    const { app, ctx } = await createTestApp(handle(), { clock: new FixedClock(new Date('2024-03-15T00:00:00.000Z')) });
    onTestFinished(() => app.close());
    const search = { db: ctx.db, dialect: engine };
    const editor = new Browser(app);
    const staff = await createStaff(ctx, 'editor');
    expect((await editor.signIn(staff.email, staff.password)).statusCode).toBe(303);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sample, async (generated) => {
        const s = storable(generated);
        run += 1;
        const word = wordFor(run);
        const volume = 100 + run;
        const topicId = await insertTopic(ctx.db, { slug: `t-${word}`, name: `${s.name} ${word}`, description: s.summary });
        const issueId = await insertIssue(ctx.db, { volume, number: 1, month: '2024-02-01' });
        const articleId = await insertArticle(ctx.db, {
          slug: `a-${word}`,
          title: `${s.title} ${word}`,
          summary: `${s.summary} ${word} ${s.other}`,
          body: `${s.body}\n\n${s.text} ${word} ${s.other}`,
          authors: `${s.name}, ${s.other}`,
          additionalResources: linksJson(s),
          imageUploadId: s.slug,
          imageAlt: s.other,
          issueId,
          topics: [topicId],
          publishedAt: '2024-02-01T14:00:00.000Z',
        });
        const eventId = await insertEvent(ctx.db, {
          slug: `e-${word}`,
          startsAt: run % 2 ? '2024-04-01T15:00:00.000Z' : '2024-02-01T15:00:00.000Z',
          title: `${s.other} ${word}`,
          kind: (['x_chat', 'webinar', 'in_person'] as const)[run % 3],
          articleId,
          hashtag: s.text,
          hosts: hostsJson(s),
          joinUrl: s.url,
          location: s.other,
          description: `${s.summary} ${word}`,
          recap: s.recap,
          recordingUrl: s.url2,
          topics: [topicId],
        });
        const resourceId = await insertResource(ctx.db, { title: `${s.title} ${word}`, url: s.url, publisher: s.name, topics: [topicId] });
        await refreshSearchEntry(search, { kind: 'article', id: articleId });
        await refreshSearchEntry(search, { kind: 'event', id: eventId });
        await refreshSearchEntry(search, { kind: 'resource', id: resourceId });

        const get = (url: string) => app.inject({ method: 'GET', url });
        for (const url of [
          '/',
          '/issues',
          `/issues/${volume}/1`,
          `/articles/a-${word}`,
          `/topics/t-${word}`,
          '/events',
          `/events/e-${word}`,
        ]) {
          await expectClean(get, url, word);
        }
        await expectClean(get, '/resources', word);
        await expectClean(get, `/resources?topic=t-${word}`, word);
        await expectClean(get, `/search?q=${encodeURIComponent(wellFormed(s.text))}&kind=article`);
        // Search finds the run's article through the real index and engine, and highlights the word.
        const found = await expectClean(get, `/search?q=${word}`, word);
        expect(found.body).toContain(`href="/articles/a-${word}"`);
        expect(found.body).toContain('<mark>');

        // The same rows as staff see them, with a contact message from a hostile sender.
        const message = await ctx.db
          .insertInto('publishing_contact_messages')
          .values({
            created_at: '2024-03-01T00:00:00.000Z',
            name: s.name,
            email: s.email,
            subject: `${s.title} ${word}`,
            message: s.summary,
            status: 'new',
            updated_at: '2024-03-01T00:00:00.000Z',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const asEditor = (url: string) => editor.get(url);
        for (const url of [`/admin/articles/${articleId}`, `/admin/articles/${articleId}/preview`, `/admin/events/${eventId}`]) {
          await expectClean(asEditor, url, word);
        }
        for (const url of [`/admin/resources/${resourceId}`, `/admin/topics/${topicId}`, `/admin/contact/${message.id}`]) {
          await expectClean(asEditor, url, word);
        }
        for (const url of ['/admin/articles', '/admin/events', '/admin/contact?status=all']) await expectClean(asEditor, url);

        // The contact form shows what was typed again when it is refused (or thanks the sender).
        const browser = new Browser(app);
        browser.ip = `10.1.${run >> 8}.${run & 255}`;
        const fields = { name: s.name, email: s.email, subject: s.title, message: s.summary };
        const contact = await browser.submit('/contact', '/contact', fields);
        expect([200, 400]).toContain(contact.statusCode);
        expect(problems(contact)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
