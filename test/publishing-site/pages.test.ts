import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { openApp } from './app.ts';
import { DEMO, insertArticle, insertEvent, insertIssue, insertResource, insertTopic } from './fixtures.ts';

/** The page's <main>, so assertions do not match the layout (header, footer). */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describeEachDatabase('public pages', ({ handle }) => {
  it('/ shows the current issue: stamp, lead article in full, event box, resources, subscribe box and feeds', async () => {
    const { ctx, get } = await openApp(handle());
    const issue = await ctx.db.selectFrom('publishing_issues').select('id').executeTakeFirstOrThrow();
    await insertArticle(ctx.db, { slug: 'second-story', title: 'A second story', issueId: issue.id, position: 5, body: 'SECOND BODY' });
    await insertArticle(ctx.db, { slug: 'unfinished', title: 'An unfinished draft', issueId: issue.id, position: 1, status: 'draft' });

    const response = await get('/');
    expect(response.statusCode).toBe(200);
    const page = main(response.body);
    expect(page).toContain(DEMO.stamp);
    expect(page).toContain(`<a href="/articles/${DEMO.articleSlug}">${DEMO.articleTitle}</a>`);
    // The lead article is printed in full (its Markdown headings a level down, under the article's h2).
    expect(page).toContain('<h3>What the chat will cover</h3>');
    expect(page).toContain('11:00 AM ET');
    expect(page).toContain('#REMSChatWithAnExpert');
    expect(page).toContain('@COPSOffice');
    expect(page).toContain(`href="/events/${DEMO.eventSlug}.ics"`);
    expect(page).toContain('Additional Resources');
    expect(page).toContain('href="https://rems.ed.gov/"');
    // Later articles are teasers: summary and link, not the body.
    expect(page).toContain('Summary of second-story');
    expect(page).not.toContain('SECOND BODY');
    expect(page.indexOf(DEMO.articleTitle)).toBeLessThan(page.indexOf('A second story'));
    expect(page).not.toContain('An unfinished draft');
    // The subscribe box: a plain GET form to /subscribe (no form token, so the page stays cacheable).
    expect(page).toContain('Subscribe to Email Updates');
    expect(page).toMatch(/<form method="get" action="\/subscribe"/);
    expect(page).toMatch(/type="email"/);
    expect(page).not.toContain('_csrf');
    for (const feed of ['/feed.xml', '/atom.xml', '/feed.json']) expect(page).toContain(`href="${feed}"`);
  });

  it('/ without a published issue says so', async () => {
    const { ctx, get } = await openApp(handle());
    await ctx.db.updateTable('publishing_issues').set({ status: 'draft' }).execute();
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(main(response.body)).toContain('No issue has been published yet.');
  });

  it('/issues groups by volume with its year; /issues/:volume/:number shows one issue', async () => {
    const { ctx, get } = await openApp(handle());
    const older = await insertIssue(ctx.db, { volume: 16, number: 12, month: '2023-12-01' });
    await insertArticle(ctx.db, { slug: 'december-story', title: 'December story', issueId: older });
    await insertIssue(ctx.db, { volume: 17, number: 2, month: '2024-02-01', status: 'draft' });

    const archive = main((await get('/issues')).body);
    expect(archive).toContain('Volume 17 (2024)');
    expect(archive).toContain('Volume 16 (2023)');
    expect(archive.indexOf('Volume 17')).toBeLessThan(archive.indexOf('Volume 16'));
    expect(archive).toContain('<a href="/issues/17/1">January 2024 | Issue 1</a>');
    expect(archive).toContain('<a href="/articles/december-story">December story</a>');
    expect(archive).not.toContain('/issues/17/2');

    const issue = await get('/issues/16/12');
    expect(issue.statusCode).toBe(200);
    expect(main(issue.body)).toContain('December 2023 | Volume 16 | Issue 12</h1>');
    expect(main(issue.body)).toContain('December story');
    expect((await get('/issues/17/1')).body).toContain(DEMO.articleTitle);

    for (const url of ['/issues/17/2', '/issues/17/9', '/issues/99/1']) expect((await get(url)).statusCode, url).toBe(404);
    for (const url of ['/issues/17/x', '/issues/1.5/1', '/issues/17/-1', '/issues/017/1', '/issues/9999999/1'])
      expect((await get(url)).statusCode, url).toBe(400);
  });

  it('/articles/:slug shows the article with stamp, byline, date, body, event, resources, topics and disclaimer', async () => {
    const { get } = await openApp(handle());
    const response = await get(`/articles/${DEMO.articleSlug}`);
    expect(response.statusCode).toBe(200);
    const page = main(response.body);
    expect(page).toContain(`<h1 id="article-title">${DEMO.articleTitle}</h1>`);
    expect(page).toContain(`<a href="/issues/17/1">${DEMO.stamp}</a>`);
    expect(page).toContain('By COPS Office');
    expect(page).toContain('<time datetime="2024-01-08T14:00:00.000Z">January 8, 2024</time>');
    expect(page).toContain('<h2>A conversation on X, January 22</h2>');
    expect(page).toContain('11:00 AM ET');
    expect(page).toContain('Additional Resources');
    expect(page).toContain('href="/topics/school-safety"');
    expect(page).toContain('The opinions contained herein are those of the author(s)');
    expect(page).not.toContain('<img');
  });

  it('an article without the disclaimer, with an image, and with hostile content renders safely', async () => {
    const { ctx, get } = await openApp(handle());
    await insertArticle(ctx.db, {
      slug: 'pictured',
      title: 'Pictured <b>bold</b>',
      authors: 'Jane Roe, Sam Doe, Ana Poe',
      showDisclaimer: 0,
      imageUploadId: 'abc-123',
      imageAlt: 'Officers and teachers at a table',
      body: 'Hello <script>alert(1)</script> [click](javascript:alert(1))',
      additionalResources: JSON.stringify([
        { title: 'Good', url: 'https://example.gov/good' },
        { title: 'Bad', url: 'javascript:alert(1)' },
      ]),
    });
    const page = main((await get('/articles/pictured')).body);
    expect(page).toContain('Pictured &lt;b>bold&lt;/b>');
    expect(page).toContain('By Jane Roe, Sam Doe and Ana Poe');
    expect(page).toContain('<img src="/uploads/abc-123" alt="Officers and teachers at a table"');
    expect(page).not.toContain('The opinions contained herein');
    expect(page).not.toContain('<script>alert');
    // The Markdown link with a javascript: target stays text; no href carries it.
    expect(page).not.toMatch(/href="javascript:/i);
    expect(page).toContain('href="https://example.gov/good"');
    expect(page).not.toContain('>Bad<');
  });

  it('articles: drafts, scheduled and unknown slugs are 404; malformed slugs are 400', async () => {
    const { ctx, get } = await openApp(handle());
    await insertArticle(ctx.db, { slug: 'a-draft', status: 'draft' });
    await insertArticle(ctx.db, { slug: 'in-the-queue', status: 'scheduled' });
    for (const url of ['/articles/a-draft', '/articles/in-the-queue', '/articles/no-such-article'])
      expect((await get(url)).statusCode, url).toBe(404);
    for (const url of ['/articles/Capitals', '/articles/under_score', '/articles/-leading', '/articles/dots.here'])
      expect((await get(url)).statusCode, url).toBe(400);
    // Over 200 characters cannot be a slug; the router already refuses parameters over 100 (414).
    expect([400, 414]).toContain((await get(`/articles/${'a'.repeat(201)}`)).statusCode);
  });

  it('/topics/:slug lists the topic’s published articles, events and resources', async () => {
    const { ctx, get } = await openApp(handle());
    const topic = await ctx.db.selectFrom('publishing_topics').select('id').where('slug', '=', 'school-safety').executeTakeFirstOrThrow();
    await insertArticle(ctx.db, { slug: 'secret', title: 'Secret draft', status: 'draft', topics: [topic.id] });
    const response = await get('/topics/school-safety');
    expect(response.statusCode).toBe(200);
    const page = main(response.body);
    expect(page).toContain('<h1>School safety</h1>');
    expect(page).toContain('School resource officers, school-based policing');
    expect(page).toContain(`href="/articles/${DEMO.articleSlug}"`);
    expect(page).toContain(`href="/events/${DEMO.eventSlug}"`);
    expect(page).toContain('COPS Office publications and resources');
    expect(page).not.toContain('Secret draft');
    expect((await get('/topics/no-such-topic')).statusCode).toBe(404);
    expect((await get('/topics/Not%20A%20Slug')).statusCode).toBe(400);
  });

  it('/events splits upcoming and past at the clock', async () => {
    const { ctx, get, clock } = await openApp(handle());
    await insertEvent(ctx.db, { slug: 'hidden-event', title: 'Hidden event', startsAt: '2024-02-01T16:00:00.000Z', status: 'draft' });
    const before = main((await get('/events')).body);
    const upcoming = before.slice(before.indexOf('Upcoming events'), before.indexOf('Past events'));
    expect(upcoming).toContain(DEMO.eventTitle);
    expect(upcoming).toContain('Monday, January 22, 2024, 11:00 AM ET');
    expect(before).not.toContain('Hidden event');

    clock.set(new Date('2024-02-01T00:00:00.000Z'));
    const after = main((await get('/events')).body);
    expect(after.slice(after.indexOf('Past events'))).toContain(DEMO.eventTitle);
    expect(after.slice(after.indexOf('Upcoming events'), after.indexOf('Past events'))).toContain('No events are planned');
  });

  it('/events/:slug shows time in ET, hosts, hashtag, calendar link and the local-time hook', async () => {
    const { get } = await openApp(handle());
    const response = await get(`/events/${DEMO.eventSlug}`);
    expect(response.statusCode).toBe(200);
    const page = main(response.body);
    expect(page).toContain('Monday, January 22, 2024, 11:00 AM ET');
    expect(page).toContain('X chat');
    expect(page).toContain('1 hour');
    expect(page).toContain('<a href="https://x.com/hashtag/REMSChatWithAnExpert">#REMSChatWithAnExpert</a>');
    expect(page).toContain('<a href="https://x.com/COPSOffice">@COPSOffice</a>');
    expect(page).toContain(`href="/events/${DEMO.eventSlug}.ics"`);
    expect(page).toContain('data-local-time="2024-01-22T16:00:00.000Z"');
    const nonce = String(response.headers['content-security-policy']).match(/'nonce-([^']+)'/)?.[1];
    expect(page).toContain(`<script nonce="${nonce}" src="/assets/publishing/local-time.js" defer>`);
    expect(page).toContain(`href="/articles/${DEMO.articleSlug}"`);
  });

  it('an event with a recap, recording, join link and location shows them all; drafts are 404', async () => {
    const { ctx, get } = await openApp(handle());
    await insertEvent(ctx.db, {
      slug: 'spring-conference',
      kind: 'in_person',
      startsAt: '2024-04-10T13:30:00.000Z',
      timeZone: 'America/Chicago',
      durationMinutes: 90,
      location: 'Hall B, Chicago',
      joinUrl: 'https://example.gov/register',
      recap: '## What we heard\n\nA **lively** day.',
      recordingUrl: 'https://example.gov/recording',
      hosts: JSON.stringify([{ handle: '@host', name: 'Host', url: 'javascript:alert(1)' }]),
    });
    await insertEvent(ctx.db, { slug: 'not-yet', startsAt: '2024-05-01T00:00:00.000Z', status: 'draft' });
    const page = main((await get('/events/spring-conference')).body);
    expect(page).toContain('In person');
    expect(page).toContain('Wednesday, April 10, 2024, 8:30 AM CT');
    expect(page).toContain('1 hour 30 minutes');
    expect(page).toContain('Hall B, Chicago');
    expect(page).toContain('href="https://example.gov/register"');
    expect(page).toContain('<h3>What we heard</h3>');
    expect(page).toContain('<strong>lively</strong>');
    expect(page).toContain('href="https://example.gov/recording"');
    expect(page).not.toContain('javascript:');
    expect((await get('/events/not-yet')).statusCode).toBe(404);
    expect((await get('/events/no-such-event')).statusCode).toBe(404);
    expect((await get('/events/Bad_Slug')).statusCode).toBe(400);
  });

  it('serves the local-time script as JavaScript with a cache header', async () => {
    const { get } = await openApp(handle());
    const response = await get('/assets/publishing/local-time.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toContain('max-age=');
    expect(response.body).toContain('data-local-time');
  });

  it('/resources groups by kind and filters by kind and topic with a plain GET form', async () => {
    const { ctx, get } = await openApp(handle());
    const topic = await insertTopic(ctx.db, { slug: 'training', name: 'Training' });
    await insertResource(ctx.db, { title: 'Training toolkit', kind: 'toolkit', publisher: 'Academy', topics: [topic] });
    await insertResource(ctx.db, { title: 'Unreleased toolkit', kind: 'toolkit', status: 'draft' });

    const all = main((await get('/resources')).body);
    expect(all).toContain('<form method="get" action="/resources"');
    expect(all).toContain('<h2 id="kind-toolkit">Toolkit</h2>');
    expect(all).toContain('<h2 id="kind-website">Website</h2>');
    expect(all).toContain('<a class="usa-link" href="https://rems.ed.gov/">');
    expect(all).toContain('U.S. Department of Education, Office of Safe and Supportive Schools');
    expect(all).toContain('href="/topics/training"');
    expect(all).not.toContain('Unreleased toolkit');

    const toolkits = main((await get('/resources?kind=toolkit')).body);
    expect(toolkits).toContain('Training toolkit');
    expect(toolkits).not.toContain('https://rems.ed.gov/');
    expect(toolkits).toContain('<option value="toolkit" selected>');

    const byTopic = main((await get('/resources?topic=partnerships')).body);
    expect(byTopic).toContain('Readiness and Emergency Management for Schools');
    expect(byTopic).not.toContain('COPS Office publications and resources');
    expect(main((await get('/resources?kind=video&topic=training')).body)).toContain('No resources match.');

    expect((await get('/resources?kind=podcast')).statusCode).toBe(400);
    expect((await get('/resources?topic=Not_A_Slug')).statusCode).toBe(400);
    expect((await get('/resources?kind=toolkit&kind=video')).statusCode).toBe(400);
    expect((await get('/resources?topic=no-such-topic')).statusCode).toBe(404);
  });
});
