import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { expect, it, onTestFinished } from 'vitest';
import { insertArticle, insertEvent, insertIssue, insertTopic } from '../../../test/publishing-site/fixtures.ts';
import { createTestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { injectedMarkup, type Sample, sample } from '../../../test/views/markup.ts';
import { hostileSettings, hostsJson, linksJson } from '../../../test/views/rows.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { CampaignSourceType } from '../../platform/db/schema.ts';
import { saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { subscriberLinks } from '../../subscriptions/keys.ts';
import { prepareMessages } from './prepare-messages.ts';
import { fillSlots, slotMarkers } from './slots.ts';
import { compileAndStore, insertCampaign, topicIds } from './test-support.ts';

// Campaigns compiled from hostile rows read back through the real queries on each engine: the
// compiled HTML injects no markup, the MIME message stays intact and decodes to exactly what was
// compiled, and the archived copy served at /bulletins/:id injects nothing either.

/** PostgreSQL text cannot hold NUL; everything else goes in as generated. */
const storable = (s: Sample): Sample =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\u0000', '') : v])) as Sample;

// MJML's own Outlook conditional comments; no user text can open a comment (every "<" is escaped).
const MJML_COMMENTS = /<!--\[if [^\]]*\]>[\s\S]*?<!\[endif\]-->|<!--\[if !mso\]><!-->|<!--<!\[endif\]-->/g;

describeEachDatabase('campaigns compiled from hostile content', ({ handle }) => {
  it('never carry markup from the content into the e-mail or the archive, and never break the MIME message', async () => {
    const { app, ctx } = await createTestApp(handle(), {
      clock: new FixedClock(new Date('2024-03-15T00:00:00.000Z')),
      env: { PUBLIC_URL: 'https://dispatch.example.gov' },
    });
    onTestFinished(() => app.close());
    const topics = await topicIds(ctx);
    const sources: CampaignSourceType[] = ['article', 'issue', 'month', 'event'];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sample, async (generated) => {
        const s = storable(generated);
        run += 1;
        // A month of its own per run: there is one digest per month.
        const month = `${1900 + run}-02`;
        await saveSiteSettings(ctx.db, ctx.clock, { ...hostileSettings(s), bulletinFrom: 'Dispatch <dispatch@example.gov>' });
        const topic = await insertTopic(ctx.db, { slug: `t-${run}`, name: s.name });
        const issueId = await insertIssue(ctx.db, { volume: 100 + run, number: 1, month: '2024-02-01' });
        const articleId = await insertArticle(ctx.db, {
          slug: `a-${run}`,
          title: s.title,
          summary: s.summary,
          body: s.body,
          authors: `${s.name}, ${s.other}`,
          additionalResources: linksJson(s),
          imageUploadId: s.slug,
          imageAlt: s.other,
          issueId,
          topics: [topic],
          publishedAt: `${month}-01T14:00:00.000Z`,
        });
        const eventId = await insertEvent(ctx.db, {
          slug: `e-${run}`,
          startsAt: `${month}-20T15:00:00.000Z`,
          title: s.other,
          kind: (['x_chat', 'webinar', 'in_person'] as const)[run % 3],
          articleId,
          hashtag: s.text,
          hosts: hostsJson(s),
          joinUrl: s.url,
          location: s.other,
          description: s.summary,
          topics: [topic],
        });
        const sourceType = sources[run % sources.length]!;
        const sourceId = { article: articleId, issue: issueId, month, event: eventId }[sourceType];
        const campaign = await compileAndStore(
          ctx,
          await insertCampaign(ctx, {
            sourceType,
            sourceId,
            subject: s.title,
            topicIds: [topics.dispatch!],
            status: 'finished',
            startedAt: '2024-03-01T14:00:00.000Z',
          }),
        );
        const html = campaign.compiled_html!;
        const body = /<body[^>]*>[\s\S]*<\/body>/.exec(html)?.[0] ?? '';
        expect(injectedMarkup(body.replace(MJML_COMMENTS, ''))).toEqual([]);
        expect(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1]).not.toContain('<');

        const subscriberId = randomUUID();
        const links = subscriberLinks(ctx.config, { subscriberId, topicId: topics.dispatch! });
        const message = (await prepareMessages(ctx, campaign)).render({
          subscriberId,
          email: 'pat@example.org',
          topicId: topics.dispatch!,
        });
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for anything but printable ASCII, tab and CRLF.
        expect(message.raw).toMatch(/^[\x09\x0d\x0a\x20-\x7e]*$/);
        expect(message.raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        const mail = await simpleParser(message.raw);
        const markers = slotMarkers(ctx.config.secret, campaign.id);
        expect(String(mail.html).trimEnd()).toBe(fillSlots(html, markers, links, { html: true }).trimEnd());
        expect(mail.text?.trimEnd()).toBe(fillSlots(campaign.compiled_text!, markers, links, { html: false }).trimEnd());

        const page = await app.inject({ method: 'GET', url: `/bulletins/${campaign.id}` });
        expect(page.statusCode).toBe(200);
        const nonce = /'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
        expect(injectedMarkup(page.body, { nonce })).toEqual([]);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
